import type { ChatAdapter, ChatAdapterExtras, ChatResult } from '../../core/types';

/** What the conversation hears about one reply, the same for stream and batch adapters. */
export interface ReplyObserver {
  next(delta: string): void;
  reasoning(delta: string): void;
  complete(result?: ChatResult): void;
  /** Whatever the adapter threw, rejected with or reported: `toChatError` makes it a ChatError. */
  error(error: unknown): void;
}

/**
 * Asks the adapter for a reply: `streamText` when it has one, else `batchText` (its text as one delta).
 * The adapter may misbehave (call back twice, send deltas after the end, deltas that are not strings):
 * the caller ignores whatever comes once its turn is over.
 */
export function requestReply(
  adapter: ChatAdapter,
  message: string,
  extras: ChatAdapterExtras,
  observer: ReplyObserver,
): void {
  // The executor runs now: the request starts at once, and a throw (or an `async streamText` that
  // rejects) becomes an error like any other rather than an exception or an unhandled rejection.
  new Promise((resolve) =>
    resolve(
      adapter.streamText
        ? adapter.streamText(message, observer, extras)
        : adapter.batchText!(message, extras).then((text) => {
            observer.next(String(text));
            observer.complete();
          }),
    ),
  ).catch(observer.error);
}
