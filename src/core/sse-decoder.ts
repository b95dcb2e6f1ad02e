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
 * A TextSink that parses Server-Sent Events (https://html.spec.whatwg.org/#parsing-an-event-stream):
 * lines end in CRLF, LF or CR; `data:` lines join with "\n"; a blank line dispatches; comments, `id:`
 * and `retry:` are skipped (nothing reconnects). The text has already been through a streaming
 * TextDecoder, which also drops the spec's leading BOM, so a multibyte character split across network
 * chunks arrives whole. An exception thrown by `onEvent` stops the parse and propagates out of
 * `push`; so does an event longer than MAX_BUFFER (`invalid-response`).
 *
 * Written here rather than taken from eventsource-parser: the adapter's whole budget is 6 KB gzip,
 * and this much of the spec is a quarter of that library's size.
 */
export function createSseSink(onEvent: (event: SseEvent) => void): TextSink {
  // A line cut by a network chunk waits as fragments: joining them once its end arrives keeps a line
  // that spans many chunks linear, where concatenating per chunk would be quadratic.
  let fragments: string[] = [];
  let size = 0;
  let data: string | undefined;
  let event = '';
  // A chunk that ended in CR may be the first half of a CRLF: the next chunk's leading LF is not a line.
  let afterCr = false;
  const breaks = /\r\n?|\n/g;

  const line = (text: string) => {
    if (!text) {
      if (data !== undefined) onEvent({ event, data });
      data = undefined;
      event = '';
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    // A colon first (a comment) gives field '', which matches nothing below.
    const value = colon < 0 ? '' : text.slice(text[colon + 1] === ' ' ? colon + 2 : colon + 1);
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value;
  };

  const push = (text: string) => {
    let start = afterCr && text[0] === '\n' ? 1 : 0;
    afterCr = false;
    breaks.lastIndex = start;
    for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
      const piece = text.slice(start, match.index);
      line(fragments.length ? fragments.join('') + piece : piece);
      fragments = [];
      size = 0;
      start = breaks.lastIndex;
      afterCr = match[0] === '\r' && start === text.length;
    }
    if (start < text.length) {
      fragments.push(text.slice(start));
      size += text.length - start;
    }
    if (size + (data?.length ?? 0) > MAX_BUFFER) throw invalidResponse('an event that is too large');
  };

  // The spec drops an event the server never terminated with a blank line; a server that closes
  // right after its last `data:` line still meant it, so two line breaks flush it.
  return { push, end: () => push('\n\n') };
}
