import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { invalidResponse } from './chat-completion';

/**
 * Receives a body's decoded text as it arrives, then once more with `end` set when the body is
 * complete. Returns something truthy once the reply is complete (`[DONE]`, a terminal event, an
 * error body long enough): the caller then stops reading.
 */
export type TextSink = (text: string, end?: boolean) => unknown;

/**
 * The most characters one SSE event (or one JSON reply) may hold. A Responses terminal event repeats
 * the whole reply text, so this is generous; it exists so that a line that never ends cannot grow
 * until the tab runs out of memory.
 */
export const MAX_BUFFER = 8 * 2 ** 20;

/**
 * Feeds text to an eventsource-parser (https://html.spec.whatwg.org/#parsing-an-event-stream) that
 * calls `onEvent` for each event. The text has already been through a streaming TextDecoder, so a
 * multibyte character split across network chunks arrives whole. An exception thrown by `onEvent`
 * stops the parse and propagates out of the sink; so does an event past MAX_BUFFER
 * (`invalid-response`), which the parser would otherwise buffer without limit.
 */
export function createSseSink(
  onEvent: (event: EventSourceMessage) => void,
): (text: string, end?: boolean) => void {
  const parser = createParser({
    onEvent,
    maxBufferSize: MAX_BUFFER,
    // Unknown fields and bad `retry:` lines are ignored, as the spec says.
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') throw invalidResponse('a reply too large to read');
    },
  });
  // The spec drops an event the server never terminated with a blank line; a server that closes
  // right after its last `data:` line still meant it, so two line breaks flush it.
  return (text, end) => parser.feed(end ? `${text}\n\n` : text);
}
