import { createParser } from 'eventsource-parser';
import { invalidResponse } from './chat-completion';

/** Receives decoded text as it arrives, then `end()` once the body is complete. */
export interface TextSink {
  push(text: string): void;
  end(): void;
}

/** One Server-Sent Event: its `event:` name ('' when it had none) and its `data:` lines joined by "\n". */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * The most characters one SSE event (or one JSON reply) may hold. A Responses terminal event repeats
 * the whole reply text, so this is generous; it exists so that a line that never ends cannot grow
 * until the tab runs out of memory.
 */
export const MAX_BUFFER = 8 * 2 ** 20;

/**
 * A TextSink that parses Server-Sent Events (https://html.spec.whatwg.org/#parsing-an-event-stream)
 * with eventsource-parser. The text has already been through a streaming TextDecoder, so a multibyte
 * character split across network chunks arrives whole. An exception thrown by `onEvent` stops the
 * parse and propagates out of `push`; so does text past MAX_BUFFER since the last event
 * (`invalid-response`): the parser would otherwise buffer a line that never ends without limit.
 */
export function createSseSink(onEvent: (event: SseEvent) => void): TextSink {
  // Counts from the last dispatched event, so it over-counts by at most the chunk that ended it.
  let sinceEvent = 0;
  const parser = createParser({
    onEvent: ({ event, data }) => {
      sinceEvent = 0;
      onEvent({ event: event ?? '', data });
    },
  });
  const push = (text: string) => {
    sinceEvent += text.length;
    if (sinceEvent > MAX_BUFFER) throw invalidResponse('an event that is too large');
    parser.feed(text);
  };
  // The spec drops an event the server never terminated with a blank line; a server that closes
  // right after its last `data:` line still meant it, so two line breaks flush it.
  return { push, end: () => push('\n\n') };
}
