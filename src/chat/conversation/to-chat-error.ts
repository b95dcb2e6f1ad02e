import { ChatError } from '../../core/errors';

/**
 * `e` as a ChatError: what an adapter reported, or a failed reply's error as it was saved (its JSON).
 * A ChatError-like value (a string `code` and `retryable`: of another copy of chatwire, hand-written,
 * or saved) keeps its code, message and details, so errors are matched by their code, not
 * `instanceof`. Anything else is a reply the chat could not use, with `e`'s message when it has one.
 */
export function toChatError(e: unknown): ChatError {
  const like = typeof (e as ChatError)?.code === 'string' && 'retryable' in (e as object);
  return e instanceof ChatError
    ? e
    : new ChatError(
        like ? (e as ChatError).code : 'invalid-response',
        String((e as Error)?.message ?? e ?? '') || 'The reply failed',
        like ? (e as ChatError) : { cause: e },
      );
}
