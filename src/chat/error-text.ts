import type { ChatError, ChatErrorCode } from '../core/errors';

const TEXT: Partial<Record<ChatErrorCode, string>> = {
  'invalid-config': 'The chat is not set up correctly',
  'missing-api-key': 'No API key is set',
  'invalid-api-key': 'The API key was rejected',
  'permission-denied': 'Access to this model was denied',
  'not-found': 'The model or endpoint was not found',
  'bad-request': 'The request was refused',
  'quota-exceeded': 'The usage quota is used up',
  'server-error': 'The server had a problem — try again',
  'connection-error': 'Connection lost',
  timeout: 'The reply took too long',
  'stream-error': 'The reply was interrupted',
  'invalid-response': 'The reply could not be read',
};

/**
 * What the reader sees for a failed reply; the code decides it, never the error's own message (which is
 * for developers). A retry delay, when the adapter reports one as `retryAfterMs`, is shown in seconds.
 */
export function errorText(error: ChatError): string {
  if (error.code === 'rate-limited') {
    const ms = (error as ChatError & { retryAfterMs?: unknown }).retryAfterMs;
    return typeof ms === 'number' && ms > 0
      ? `Rate limited — try again in ${Math.ceil(ms / 1000)} s`
      : 'Rate limited — try again in a moment';
  }
  return TEXT[error.code] ?? 'Something went wrong';
}
