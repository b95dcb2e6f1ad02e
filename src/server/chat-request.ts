import { invalidRequest, type Rejection } from './json-error';
import {
  cappedTokens,
  checkEffort,
  checkModel,
  copyNumbers,
  invalid,
  isRecord,
  type RequestPolicy,
  rebuildText,
  type SanitizedRequest,
  systemMessageRefused,
} from './request-fields';

const roles = new Set(['system', 'developer', 'user', 'assistant']);
const systemRoles = new Set(['system', 'developer']);

// Sampling fields forwarded as they are, with OpenAI's documented ranges, so a bad value is refused
// here with a clear message instead of costing an upstream round trip.
const numberFields = {
  temperature: [0, 2],
  top_p: [0, 1],
  presence_penalty: [-2, 2],
  frequency_penalty: [-2, 2],
} as const;

/**
 * Turns a client's Chat Completions body into the one sent upstream, keeping only the fields listed
 * below and checking each. Everything else is dropped: `n` (it multiplies the cost past the token
 * cap), `tools`/`functions` (a page must not decide what the server's key is used for), `logit_bias`,
 * `response_format`, `store`, `metadata` and any field OpenAI adds later.
 *
 * Kept: `model`, `messages` (`role`, `content` rebuilt as text, `name` of each), `stream`, `temperature`,
 * `top_p`, `presence_penalty`, `frequency_penalty`, `stop`, `seed`, `user`, `reasoning_effort` (up to
 * `maxReasoningEffort`), and `max_completion_tokens` (or the older `max_tokens`, sent on as
 * `max_completion_tokens`), capped at `maxCompletionTokens`; when the client gives none, the cap itself
 * is sent. A stream always asks for usage (`stream_options.include_usage`), which budgets and `onUsage`
 * read. Client `system`/`developer` messages are refused unless `allowClientSystemMessages`; the
 * server's `systemMessage` goes first.
 */
export function sanitizeChatRequest(body: unknown, policy: RequestPolicy): SanitizedRequest {
  const result = sanitize(body, policy);
  return 'status' in result ? { rejection: result as Rejection } : { body: result };
}

function sanitize(body: unknown, policy: RequestPolicy): Record<string, unknown> | Rejection {
  if (!isRecord(body)) return invalidRequest(400, 'invalid_json', 'The request body must be a JSON object.');
  const modelRefused = checkModel(body.model, policy);
  if (modelRefused) return modelRefused;

  const messages = sanitizeMessages(body.messages, policy);
  if (!Array.isArray(messages)) return messages;
  const out: Record<string, unknown> = { model: body.model, messages };

  if (body.stream !== undefined) {
    if (typeof body.stream !== 'boolean') return invalid('The field "stream" must be a boolean.');
    out.stream = body.stream;
  }
  if (out.stream === true) out.stream_options = { include_usage: true };

  const badNumber = copyNumbers(body, out, numberFields);
  if (badNumber) return badNumber;

  if (body.seed !== undefined && body.seed !== null) {
    if (!Number.isSafeInteger(body.seed)) return invalid('The field "seed" must be an integer.');
    out.seed = body.seed;
  }
  if (body.user !== undefined) {
    if (typeof body.user !== 'string' || body.user.length > 256) {
      return invalid('The field "user" must be a string of at most 256 characters.');
    }
    out.user = body.user;
  }
  if (body.stop !== undefined && body.stop !== null) {
    const { stop } = body;
    const valid =
      typeof stop === 'string' ||
      (Array.isArray(stop) && stop.length <= 4 && stop.every((item) => typeof item === 'string'));
    if (!valid) return invalid('The field "stop" must be a string or an array of up to 4 strings.');
    out.stop = stop;
  }
  if (body.reasoning_effort !== undefined && body.reasoning_effort !== null) {
    const tooHigh = checkEffort(body.reasoning_effort, 'reasoning_effort', policy);
    if (tooHigh) return tooHigh;
    out.reasoning_effort = body.reasoning_effort;
  }

  const tokens = cappedTokens(body, ['max_completion_tokens', 'max_tokens'], policy.maxCompletionTokens);
  if (typeof tokens !== 'number') return tokens;
  out.max_completion_tokens = tokens;
  return out;
}

function sanitizeMessages(messages: unknown, policy: RequestPolicy): Record<string, unknown>[] | Rejection {
  if (messages === undefined)
    return invalidRequest(400, 'missing_field', 'The field "messages" is required.');
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid('The field "messages" must be a non-empty array.');
  }
  if (messages.length > policy.maxMessages) {
    return invalidRequest(
      400,
      'too_many_messages',
      `The request has ${messages.length} messages; at most ${policy.maxMessages} are allowed.`,
    );
  }
  const out: Record<string, unknown>[] = [];
  if (policy.systemMessage !== undefined) out.push({ role: 'system', content: policy.systemMessage });
  for (const [index, message] of messages.entries()) {
    const where = `messages[${index}]`;
    if (!isRecord(message)) return invalid(`${where} must be an object.`);
    if (typeof message.role !== 'string' || !roles.has(message.role)) {
      return invalid(`${where}.role must be one of: ${[...roles].join(', ')}.`);
    }
    if (systemRoles.has(message.role) && !policy.allowClientSystemMessages) {
      return systemMessageRefused(`"${message.role}" messages`);
    }
    const content = rebuildText(message.content, ['text']);
    if (content === undefined) return invalid(`${where}.content must be a string or an array of text parts.`);
    const kept: Record<string, unknown> = { role: message.role, content };
    if (typeof message.name === 'string') kept.name = message.name;
    out.push(kept);
  }
  return out;
}
