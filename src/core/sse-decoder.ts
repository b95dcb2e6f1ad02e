import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** Receives decoded text as it arrives, then `end()` once the body is complete. */
export interface TextSink {
  push(text: string): void;
  end(): void;
}

/**
 * A TextSink that parses Server-Sent Events (https://html.spec.whatwg.org/#parsing-an-event-stream).
 * The text it gets has already been through a streaming TextDecoder, so a multibyte character split
 * across network chunks arrives whole. An exception thrown by `onEvent` stops the parse and
 * propagates out of `push`.
 */
export function createSseSink(onEvent: (event: EventSourceMessage) => void): TextSink {
  const parser = createParser({ onEvent });
  return {
    push: parser.feed,
    // The spec drops an event the server never terminated with a blank line; a server that closes
    // right after its last `data:` line still meant it, so two line breaks flush it.
    end: () => parser.feed('\n\n'),
  };
}
