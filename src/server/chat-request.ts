import { invalidRequest, type Rejection } from './json-error';

/** The limits `sanitizeChatRequest` enforces. */
export interface ChatRequestLimits {
  allowedModels: readonly string[] | undefined;
  maxCompletionTokens: number;
  maxMessages: number;
}

const roles = new Set(['system', 'developer', 'user', 'assistant']);

// Sampling fields forwarded as they are, with OpenAI's documented ranges, so a bad value is refused
// here with a clear message instead of costing an upstream round trip.
const numberFields: Record<string, [min: number, max: number]> = {
  temperature: [0, 2],
  top_p: [0, 1],
  presence_penalty: [-2, 2],
  frequency_penalty: [-2, 2],
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (message: string) => invalidRequest(400, 'invalid_field', message);

/**
 * Turns a client's Chat Completions body into the one sent upstream, keeping only the fields listed
 * below and checking each. Everything else is dropped: `n` (it multiplies the cost past the token
 * cap), `tools`/`functions` (a page must not decide what the server's key is used for), `logit_bias`,
 * `response_format`, `store`, `metadata` and any field OpenAI adds later.
 *
 * Kept: `model`, `messages` (`role`, `content`, `name` of each), `stream`, `stream_options.include_usage`,
 * `temperature`, `top_p`, `presence_penalty`, `frequency_penalty`, `stop`, `seed`, `user`, and
 * `max_completion_tokens` (or the older `max_tokens`, sent on as `max_completion_tokens`), capped at
 * `maxCompletionTokens`; when the client gives none, the cap itself is sent.
 */
export function sanitizeChatRequest(body: unknown, limits: ChatRequestLimits): SanitizedRequest {
  const result = sanitize(body, limits);
  return 'status' in result ? { rejection: result as Rejection } : { body: result };
}

/** Either the body to send upstream or why the request is refused. */
export type SanitizedRequest = { body: Record<string, unknown> } | { rejection: Rejection };

function sanitize(body: unknown, limits: ChatRequestLimits): Record<string, unknown> | Rejection {
  if (!isRecord(body)) return invalidRequest(400, 'invalid_json', 'The request body must be a JSON object.');

  const { model } = body;
  if (model === undefined) return invalidRequest(400, 'missing_field', 'The field "model" is required.');
  if (typeof model !== 'string' || model === '')
    return invalid('The field "model" must be a non-empty string.');
  if (limits.allowedModels && !limits.allowedModels.includes(model)) {
    return invalidRequest(
      400,
      'model_not_allowed',
      `The model "${model.slice(0, 100)}" is not allowed here. Allowed: ${limits.allowedModels.join(', ')}.`,
    );
  }

  const messages = sanitizeMessages(body.messages, limits.maxMessages);
  if (!Array.isArray(messages)) return messages;
  const out: Record<string, unknown> = { model, messages };

  if (body.stream !== undefined) {
    if (typeof body.stream !== 'boolean') return invalid('The field "stream" must be a boolean.');
    out.stream = body.stream;
  }
  if (out.stream === true && isRecord(body.stream_options)) {
    const includeUsage = body.stream_options.include_usage;
    if (includeUsage !== undefined && typeof includeUsage !== 'boolean') {
      return invalid('The field "stream_options.include_usage" must be a boolean.');
    }
    if (includeUsage !== undefined) out.stream_options = { include_usage: includeUsage };
  }

  for (const [field, [min, max]] of Object.entries(numberFields)) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      return invalid(`The field "${field}" must be a number from ${min} to ${max}.`);
    }
    out[field] = value;
  }

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

  let requested = limits.maxCompletionTokens;
  for (const field of ['max_completion_tokens', 'max_tokens']) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      return invalid(`The field "${field}" must be a positive integer.`);
    }
    requested = Math.min(requested, value as number);
  }
  out.max_completion_tokens = requested;
  return out;
}

function sanitizeMessages(messages: unknown, maxMessages: number): Record<string, unknown>[] | Rejection {
  if (messages === undefined)
    return invalidRequest(400, 'missing_field', 'The field "messages" is required.');
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid('The field "messages" must be a non-empty array.');
  }
  if (messages.length > maxMessages) {
    return invalidRequest(
      400,
      'too_many_messages',
      `The request has ${messages.length} messages; at most ${maxMessages} are allowed.`,
    );
  }
  const out: Record<string, unknown>[] = [];
  for (const [index, message] of messages.entries()) {
    const where = `messages[${index}]`;
    if (!isRecord(message)) return invalid(`${where} must be an object.`);
    if (typeof message.role !== 'string' || !roles.has(message.role)) {
      return invalid(`${where}.role must be one of: ${[...roles].join(', ')}.`);
    }
    if (!isTextContent(message.content)) {
      return invalid(`${where}.content must be a string or an array of text parts.`);
    }
    const kept: Record<string, unknown> = { role: message.role, content: message.content };
    if (typeof message.name === 'string') kept.name = message.name;
    out.push(kept);
  }
  return out;
}

// Text only: image and audio parts would let a page spend the server's key on uploads it never meant to pay for.
function isTextContent(content: unknown): boolean {
  if (typeof content === 'string') return true;
  return (
    Array.isArray(content) &&
    content.every((part) => isRecord(part) && part.type === 'text' && typeof part.text === 'string')
  );
}
