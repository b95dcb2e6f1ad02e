import { redactKey } from './redact-key';
import type { RateLimit } from './types';

/** What went wrong, for a program to switch on. */
export type ChatErrorCode =
  | 'invalid-config'
  | 'missing-api-key'
  | 'invalid-api-key'
  | 'permission-denied'
  | 'not-found'
  | 'bad-request'
  | 'rate-limited'
  | 'quota-exceeded'
  | 'server-error'
  | 'connection-error'
  | 'timeout'
  | 'aborted'
  | 'stream-error'
  | 'invalid-response'
  /** A conversation store failed to load or save (the conversation itself keeps working). */
  | 'storage-error';

/** Extra facts a ChatError can carry. */
export interface ChatErrorDetails {
  status?: number;
  requestId?: string;
  retryable?: boolean;
  /** Text already delivered before a stream failed. */
  partialText?: string;
  /** For `rate-limited`: how long the server asked to wait (`retry-after-ms` / `retry-after`), in ms. */
  retryAfterMs?: number;
  /** The `error.code` of an OpenAI-shaped error body, e.g. `upstream_auth_failed`, `insufficient_quota`. */
  serverCode?: string;
  /** The server's `x-ratelimit-*` headers on the failed response, when it sent them. */
  rateLimit?: RateLimit;
  cause?: unknown;
}

/**
 * The one error type chatwire throws or reports. `code` says what happened; `retryable` says
 * whether trying again later can help. Its message never contains an API key: anything key-like in
 * it is redacted on construction.
 */
export class ChatError extends Error {
  // `declare`: the constructor copies the details in; no class fields to emit or downlevel.
  /** What happened (see ChatErrorCode). */
  declare readonly code: ChatErrorCode;
  /** The HTTP status of the response that failed, when there was one. */
  declare readonly status?: number;
  /** The `x-request-id` of the response the error belongs to, for support tickets and logs. */
  declare readonly requestId?: string;
  /** Whether trying the same request again later can help. */
  declare readonly retryable: boolean;
  /** Text already delivered to `next` before a stream failed. */
  declare readonly partialText?: string;
  /** For `rate-limited`: how long the server asked to wait before trying again, in ms. */
  declare readonly retryAfterMs?: number;
  /**
   * The `error.code` the server's OpenAI-shaped error body gave (`upstream_auth_failed`,
   * `budget_exceeded`, `insufficient_quota`, `model_not_allowed`, …), for a UI to explain it.
   */
  declare readonly serverCode?: string;
  /** The server's `x-ratelimit-*` headers on the failed response (a 429 among others), when sent. */
  declare readonly rateLimit?: RateLimit;

  constructor(code: ChatErrorCode, message: string, details: ChatErrorDetails = {}) {
    // `details` doubles as the ErrorOptions: `Error` takes its `cause` (non-enumerable) from it.
    super(redactKey(message), details);
    Object.assign(this, details);
    this.name = 'ChatError';
    this.code = code;
    this.retryable = !!details.retryable;
  }

  /** A plain object for logs and `JSON.stringify`: name, message, code and the details given. */
  toJSON(): Record<string, unknown> {
    // `message` is the one fact Error keeps non-enumerable that belongs here (`name` is set as an own
    // property in the constructor); `cause` stays out (it may be anything).
    return { ...(this as object), message: this.message };
  }
}

/** Shorthand for the synchronous `invalid-config` errors builders throw. */
export function invalidConfig(message: string): ChatError {
  return new ChatError('invalid-config', message);
}
