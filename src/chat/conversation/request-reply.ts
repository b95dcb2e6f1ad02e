import { ChatError } from '../../core/errors';
import type { ChatAdapter, ChatAdapterExtras, ChatResult, StreamingAdapterObserver } from '../../core/types';

/** What the conversation hears about one reply, the same for stream and batch adapters. */
export interface ReplyHandlers {
  next(delta: string): void;
  reasoning(delta: string): void;
  complete(result?: ChatResult): void;
  error(error: ChatError): void;
}

// The observer's optional `reasoning(delta)` (0.2): declared here too, so this file also builds against
// an adapter layer that does not list it yet.
type ReasoningObserver = StreamingAdapterObserver & { reasoning?(delta: string): void };

/**
 * Asks the adapter for a reply: `streamText` when it has one, else `batchText`. Whatever the adapter does
 * (throw, reject, call back twice, send deltas after the end), the handlers hear deltas only before the
 * end, and exactly one `complete` or `error` — unless the adapter never ends, which `stop()` handles.
 */
export function requestReply(
  adapter: ChatAdapter,
  message: string,
  extras: ChatAdapterExtras,
  handlers: ReplyHandlers,
): void {
  let settled = false;
  const settle =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      if (settled) return;
      settled = true;
      fn(...args);
    };
  const complete = settle(handlers.complete);
  const error = settle((e: unknown) => handlers.error(toChatError(e)));
  try {
    if (adapter.streamText) {
      const observer: ReasoningObserver = {
        next: (delta) => settled || typeof delta !== 'string' || handlers.next(delta),
        reasoning: (delta) => settled || typeof delta !== 'string' || handlers.reasoning(delta),
        complete,
        error,
      };
      const pending: unknown = adapter.streamText(message, observer, extras);
      // An `async streamText` that throws rejects instead: report it rather than leave it unhandled.
      if (pending instanceof Promise) pending.catch(error);
    } else if (adapter.batchText) {
      adapter.batchText(message, extras).then((text) => {
        if (settled) return;
        handlers.next(String(text));
        complete();
      }, error);
    } else {
      error(new ChatError('invalid-config', 'The adapter has neither streamText nor batchText'));
    }
  } catch (e) {
    error(e);
  }
}

// Errors are matched by their `code`, not `instanceof`, so an adapter built against another copy of
// chatwire (or hand-written) keeps its code. Anything else is a reply the chat could not use.
function toChatError(e: unknown): ChatError {
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && 'retryable' in e) {
    return e as ChatError;
  }
  const message = e instanceof Error ? e.message : String(e);
  return new ChatError('invalid-response', message || 'The adapter failed', { cause: e });
}
