import { redactKey } from './redact-key';

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
  | 'invalid-response';

/** Extra facts a ChatError can carry. */
export interface ChatErrorDetails {
  status?: number;
  requestId?: string;
  retryable?: boolean;
  /** Text already delivered before a stream failed. */
  partialText?: string;
  cause?: unknown;
}

/**
 * The one error type chatwire throws or reports. `code` says what happened; `retryable` says
 * whether trying again later can help. Its message never contains an API key: anything key-like in
 * it is redacted on construction.
 */
export class ChatError extends Error {
  readonly code: ChatErrorCode;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly partialText?: string;

  constructor(code: ChatErrorCode, message: string, details: ChatErrorDetails = {}) {
    super(redactKey(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ChatError';
    this.code = code;
    this.retryable = details.retryable ?? false;
    if (details.status !== undefined) this.status = details.status;
    if (details.requestId !== undefined) this.requestId = details.requestId;
    if (details.partialText !== undefined) this.partialText = details.partialText;
  }

  /** A plain object for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      requestId: this.requestId,
      retryable: this.retryable,
      partialText: this.partialText,
    };
  }
}

/** Shorthand for the synchronous `invalid-config` errors builders throw. */
export function invalidConfig(message: string): ChatError {
  return new ChatError('invalid-config', message);
}
