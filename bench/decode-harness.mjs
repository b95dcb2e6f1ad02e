// What the decode benches share, so both measure the same way: an in-memory Response over prepared
// body chunks, interleaved rounds with a warm-up, medians, and the table. Not a bench itself:
// bench/run.mjs runs only `*.bench.mjs`.

export const ROUNDS = 7;

/** The words the decoded streams are made of, multibyte characters among them. */
export const WORDS = [
  'The',
  ' quick',
  ' brown',
  ' fox',
  ' jumps',
  ' over',
  ' the',
  ' lazy',
  ' dog',
  '.',
  ' Grüße',
  ' 世界',
  ' 🚀',
];

/** A Response whose body yields `pieces()` one per read, as a network would. */
export function responseOver(pieces) {
  const chunks = pieces();
  let index = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]);
      else controller.close();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_bench' },
  });
}

/** The texts encoded, each its own body chunk (how a streaming server sends events). */
export const encodeEach = (texts) => {
  const encoder = new TextEncoder();
  return texts.map((text) => encoder.encode(text));
};

/** The same bytes re-cut into fixed-size body chunks (a fast network or a proxy that buffers). */
export function fixedSizePieces(pieces, size) {
  const all = new Uint8Array(pieces.reduce((n, piece) => n + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    all.set(piece, offset);
    offset += piece.length;
  }
  const out = [];
  for (let start = 0; start < all.length; start += size) out.push(all.subarray(start, start + size));
  return out;
}

/** The least work that still reads an SSE body correctly: decode, split lines, parse each `data:` line. */
export async function readLines(response, onData) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('data: ') && line !== 'data: [DONE]') onData(JSON.parse(line.slice(6)));
      newline = buffer.indexOf('\n');
    }
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median ms per runner over ROUNDS interleaved rounds; every run must decode `expected`. */
export async function measure(runners, expected) {
  const times = new Map(runners.map(([name]) => [name, []]));
  // Round 0 warms up the JIT and is not counted; rounds interleave the runners so drift hits all alike.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, run] of runners) {
      const start = performance.now();
      const text = await run();
      const ms = performance.now() - start;
      if (text !== expected) throw new Error(`${name} decoded the wrong text`);
      if (round > 0) times.get(name).push(ms);
    }
  }
  return new Map([...times].map(([name, list]) => [name, median(list)]));
}

export const format = (n) => Math.round(n).toLocaleString('en-US');

/** A markdown table of `ms` for runners [chatwire, peer, floor], `count` events each, with the targets. */
export function table(title, runners, ms, count, unit) {
  const [ours, peer, floor] = runners.map(([name]) => ms.get(name));
  return [
    `### ${title}`,
    '',
    `| decoder | ${unit}/s | median ms | vs chatwire |`,
    '|---|---:|---:|---:|',
    ...runners.map(([name]) => {
      const t = ms.get(name);
      return `| ${name} | ${format(count / (t / 1000))} | ${t.toFixed(1)} | ${(ours / t).toFixed(2)}x |`;
    }),
    '',
    `chatwire: ${(peer / ours).toFixed(2)}x the ${unit}/s of openai@6 (target ≥ 2x); ${(ours / floor).toFixed(2)}x the floor's time (target ≤ 1.5x).`,
  ].join('\n');
}
