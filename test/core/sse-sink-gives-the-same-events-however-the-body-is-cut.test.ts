// chatwire's SSE sink (eventsource-parser behind a buffer bound) gives the same events as one parse of the
// whole body by eventsource-parser on awkward inputs cut at every kind of boundary: CR, LF and CRLF
// line ends (a CRLF split between chunks among them), comments, multi-line data, fields without a
// colon or a space, `id:`/`retry:` lines, and an unterminated last event at the end.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { expect, it } from 'vitest';
import { createSseSink } from '../../src/core/sse-decoder';
import { seededRandom } from '../helpers/fixture-server';

const BODIES = [
  'data: one\n\ndata: two\n\n',
  'data: one\r\n\r\ndata: two\r\n\r\n',
  'data: one\r\rdata: two\r\r',
  ': a comment\nevent: error\ndata: {"error":{}}\n\n',
  'data: first line\ndata: second line\ndata\ndata:no space\ndata:  two spaces\n\n',
  'id: 7\nretry: 1000\nevent: response.created\ndata: {"type":"response.created"}\n\nevent: ping\n\n',
  'data: a\n\n\n\n\ndata: b\r\n\r\n:\n\ndata: c\n\ndata: d',
  'event: x\ndata: y\r\n\nunknown: field\ndata: z\n\n',
  'data: Grüße 世界 🚀\n\ndata: [DONE]\n\n',
];

/** The reference: eventsource-parser, fed the same chunks, then the same end-of-body flush. */
function reference(chunks: string[]): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  for (const chunk of chunks) parser.feed(chunk);
  parser.feed('\n\n');
  return events;
}

function ours(chunks: string[]): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const sink = createSseSink((event) => events.push(event));
  for (const chunk of chunks) sink(chunk);
  sink('', true);
  return events;
}

function cut(text: string, random: () => number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = Math.min(text.length, start + 1 + Math.floor(random() * 6));
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

it.each(BODIES.map((body) => [JSON.stringify(body).slice(0, 50), body]))(
  '%s: whole and cut',
  (_name, body) => {
    const expected = reference([body]);
    expect(expected.length).toBeGreaterThan(0);
    expect(ours([body])).toEqual(expected);
    for (let seed = 1; seed <= 50; seed++) {
      const chunks = cut(body, seededRandom(seed));
      expect(ours(chunks), JSON.stringify(chunks)).toEqual(reference(chunks));
    }
    // Every single-character cut, so a CRLF split across chunks is always among them.
    expect(ours([...body])).toEqual(expected);
  },
);

it('an event longer than the cap throws invalid-response, whether one line or many data lines', () => {
  const long = createSseSink(() => {});
  expect(() => {
    for (let i = 0; i < 9; i++) long(`${i ? '' : 'data: '}${'x'.repeat(2 ** 20)}`);
  }).toThrow(expect.objectContaining({ code: 'invalid-response' }));
  const many = createSseSink(() => {});
  expect(() => {
    for (let i = 0; i < 9; i++) many(`data: ${'x'.repeat(2 ** 20)}\n`);
  }).toThrow(expect.objectContaining({ code: 'invalid-response' }));
});
