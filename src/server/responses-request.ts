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
const summaries = new Set(['auto', 'concise', 'detailed']);
const numberFields = { temperature: [0, 2], top_p: [0, 1] } as const;

// Fields that would make the server's key do more than answer the text sent, each with the reason.
const refusedFields: Record<string, string> = {
  previous_response_id:
    'The proxy keeps no conversation on OpenAI (store is false), so "previous_response_id" is not accepted: send the whole conversation in "input".',
  conversation:
    'The proxy keeps no conversation on OpenAI (store is false), so "conversation" is not accepted: send the whole conversation in "input".',
  tools: 'Tools are not accepted here: a page must not decide what the server’s key is used for.',
};

/**
 * Turns a client's Responses body into the one sent upstream, with the same guarantees as Chat
 * Completions. Kept: `model` (from `allowedModels`), `input` (a string, or message items whose content
 * is text, rebuilt as `{ role, content }`), `instructions`, `stream`, `temperature`, `top_p`,
 * `max_output_tokens` (capped at `maxCompletionTokens`, which is sent when the client gives none) and
 * `reasoning` (`effort` up to `maxReasoningEffort`, `summary`). `store` is always false.
 * `previous_response_id`, `conversation` and `tools` are refused with a reason; anything else is dropped.
 * Client `instructions` and `system`/`developer` items are refused unless `allowClientSystemMessages`;
 * the server's `systemMessage` is sent as `instructions`, ahead of any the client was allowed to send.
 */
export function sanitizeResponsesRequest(body: unknown, policy: RequestPolicy): SanitizedRequest {
  const result = sanitize(body, policy);
  return 'status' in result ? { rejection: result as Rejection } : { body: result };
}

function sanitize(body: unknown, policy: RequestPolicy): Record<string, unknown> | Rejection {
  if (!isRecord(body)) return invalidRequest(400, 'invalid_json', 'The request body must be a JSON object.');
  for (const [field, reason] of Object.entries(refusedFields)) {
    const value = body[field];
    const given = value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
    if (given) return invalidRequest(400, 'unsupported_field', reason);
  }
  const modelRefused = checkModel(body.model, policy);
  if (modelRefused) return modelRefused;

  const input = sanitizeInput(body.input, policy);
  if (typeof input !== 'string' && !Array.isArray(input)) return input;
  const out: Record<string, unknown> = { model: body.model, input, store: false };

  const instructions = sanitizeInstructions(body.instructions, policy);
  if (typeof instructions === 'object') return instructions;
  if (instructions !== undefined) out.instructions = instructions;

  if (body.stream !== undefined) {
    if (typeof body.stream !== 'boolean') return invalid('The field "stream" must be a boolean.');
    out.stream = body.stream;
  }
  const badNumber = copyNumbers(body, out, numberFields);
  if (badNumber) return badNumber;

  if (body.reasoning !== undefined && body.reasoning !== null) {
    const reasoning = sanitizeReasoning(body.reasoning, policy);
    if (!isRecord(reasoning) || 'status' in reasoning) return reasoning as Rejection;
    out.reasoning = reasoning;
  }

  const tokens = cappedTokens(body, ['max_output_tokens'], policy.maxCompletionTokens);
  if (typeof tokens !== 'number') return tokens;
  out.max_output_tokens = tokens;
  return out;
}

function sanitizeInput(
  input: unknown,
  policy: RequestPolicy,
): string | Record<string, unknown>[] | Rejection {
  if (input === undefined) return invalidRequest(400, 'missing_field', 'The field "input" is required.');
  if (typeof input === 'string') return input;
  if (!Array.isArray(input) || input.length === 0) {
    return invalid('The field "input" must be a string or a non-empty array of messages.');
  }
  if (input.length > policy.maxMessages) {
    return invalidRequest(
      400,
      'too_many_messages',
      `The request has ${input.length} input items; at most ${policy.maxMessages} are allowed.`,
    );
  }
  const out: Record<string, unknown>[] = [];
  for (const [index, item] of input.entries()) {
    const where = `input[${index}]`;
    if (!isRecord(item) || (item.type !== undefined && item.type !== 'message')) {
      return invalid(`${where} must be a message ({ role, content }); other item types are not accepted.`);
    }
    if (typeof item.role !== 'string' || !roles.has(item.role)) {
      return invalid(`${where}.role must be one of: ${[...roles].join(', ')}.`);
    }
    if (systemRoles.has(item.role) && !policy.allowClientSystemMessages) {
      return systemMessageRefused(`"${item.role}" input items`);
    }
    const partTypes = item.role === 'assistant' ? ['output_text'] : ['input_text'];
    const content = rebuildText(item.content, partTypes);
    if (content === undefined) {
      return invalid(`${where}.content must be a string or an array of ${partTypes[0]} parts.`);
    }
    out.push({ role: item.role, content });
  }
  return out;
}

/** The instructions to send: the server's `systemMessage`, then the client's when allowed. */
function sanitizeInstructions(instructions: unknown, policy: RequestPolicy): string | undefined | Rejection {
  const given = instructions !== undefined && instructions !== null && instructions !== '';
  if (given && !policy.allowClientSystemMessages) return systemMessageRefused('Instructions');
  if (given && typeof instructions !== 'string') return invalid('The field "instructions" must be a string.');
  const parts = [policy.systemMessage, given ? (instructions as string) : undefined].filter(
    (part): part is string => part !== undefined,
  );
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function sanitizeReasoning(reasoning: unknown, policy: RequestPolicy): Record<string, unknown> | Rejection {
  if (!isRecord(reasoning)) return invalid('The field "reasoning" must be an object.');
  const out: Record<string, unknown> = {};
  if (reasoning.effort !== undefined && reasoning.effort !== null) {
    const refused = checkEffort(reasoning.effort, 'reasoning.effort', policy);
    if (refused) return refused;
    out.effort = reasoning.effort;
  }
  if (reasoning.summary !== undefined && reasoning.summary !== null) {
    if (!summaries.has(reasoning.summary as string)) {
      return invalid(`The field "reasoning.summary" must be one of: ${[...summaries].join(', ')}.`);
    }
    out.summary = reasoning.summary;
  }
  return out;
}
