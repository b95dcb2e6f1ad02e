import { invalidRequest, type Rejection } from './json-error';

/** Reasoning efforts in increasing cost, as OpenAI's `ReasoningEffort` lists them. */
export const reasoningEfforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof reasoningEfforts)[number];

/** What the proxy enforces on every request body, whichever API it speaks. */
export interface RequestPolicy {
  allowedModels: readonly string[];
  maxCompletionTokens: number;
  maxMessages: number;
  systemMessage: string | undefined;
  allowClientSystemMessages: boolean;
  maxReasoningEffort: ReasoningEffort;
}

/** Either the body to send upstream or why the request is refused. */
export type SanitizedRequest = { body: Record<string, unknown> } | { rejection: Rejection };

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const invalid = (message: string): Rejection => invalidRequest(400, 'invalid_field', message);

/** The refusal of a client system message or client instructions, on either API. */
export const systemMessageRefused = (what: string): Rejection =>
  invalidRequest(
    400,
    'system_message_not_allowed',
    `${what} from the client are not accepted here: the server sets the system message.`,
  );

/** Checks `model` against `allowedModels`. */
export function checkModel(model: unknown, policy: RequestPolicy): Rejection | undefined {
  if (model === undefined) return invalidRequest(400, 'missing_field', 'The field "model" is required.');
  if (typeof model !== 'string' || model === '')
    return invalid('The field "model" must be a non-empty string.');
  if (!policy.allowedModels.includes(model)) {
    return invalidRequest(
      400,
      'model_not_allowed',
      `The model "${model.slice(0, 100)}" is not allowed here. Allowed: ${policy.allowedModels.join(', ')}.`,
    );
  }
  return undefined;
}

/** Copies number fields within their documented ranges into `out`; the first bad one is refused. */
export function copyNumbers(
  body: Record<string, unknown>,
  out: Record<string, unknown>,
  ranges: Record<string, readonly [min: number, max: number]>,
): Rejection | undefined {
  for (const [field, [min, max]] of Object.entries(ranges)) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      return invalid(`The field "${field}" must be a number from ${min} to ${max}.`);
    }
    out[field] = value;
  }
  return undefined;
}

/** The output-token cap to send: the client's (from any of `fields`) if lower than the server's. */
export function cappedTokens(
  body: Record<string, unknown>,
  fields: readonly string[],
  cap: number,
): number | Rejection {
  let requested = cap;
  for (const field of fields) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      return invalid(`The field "${field}" must be a positive integer.`);
    }
    requested = Math.min(requested, value as number);
  }
  return requested;
}

/** A reasoning effort within `maxReasoningEffort`; a higher one is refused, never silently lowered. */
export function checkEffort(effort: unknown, field: string, policy: RequestPolicy): Rejection | undefined {
  const rank = reasoningEfforts.indexOf(effort as ReasoningEffort);
  if (rank === -1) return invalid(`The field "${field}" must be one of: ${reasoningEfforts.join(', ')}.`);
  if (rank > reasoningEfforts.indexOf(policy.maxReasoningEffort)) {
    return invalidRequest(
      400,
      'reasoning_effort_not_allowed',
      `Reasoning effort "${effort}" is above this server’s limit ("${policy.maxReasoningEffort}").`,
    );
  }
  return undefined;
}

/**
 * Text content, rebuilt: a string stays a string; an array keeps only `{ type, text }` of each part,
 * so extra fields a page adds to a part (`cache_control`, an `image_url` on a text part) never go upstream.
 * Other part types are refused: image and audio would spend the server's key on uploads.
 */
export function rebuildText(
  content: unknown,
  partTypes: readonly string[],
): string | { type: string; text: string }[] | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts: { type: string; text: string }[] = [];
  for (const part of content) {
    if (!isRecord(part) || !partTypes.includes(part.type as string) || typeof part.text !== 'string')
      return undefined;
    parts.push({ type: part.type as string, text: part.text });
  }
  return parts;
}
