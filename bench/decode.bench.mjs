// How fast a long stream is decoded once its bytes have arrived: 20,000 Chat Completions chunks in
// OpenAI's recorded shape, held in memory (no network), each SSE event its own body chunk as a
// streaming server sends them. chatwire's public streamText path, openai@6's
// `chat.completions.create({ stream: true })` with a custom fetch over the same bytes, and a
// hand-written floor (TextDecoder + line split + JSON.parse) read the same Response body in the same run.
import OpenAI from 'openai';
import { createUnsafeChatAdapter } from '../dist/index.js';

const CHUNKS = 20_000;
const ROUNDS = 7;
const WORDS = [
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

/** The bytes of a stream in the shape of the recorded fixtures (role chunk, deltas, finish, usage, [DONE]). */
function recordedShapeEvents() {
  const base = {
    id: 'chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL',
    object: 'chat.completion.chunk',
    created: 1727346168,
    model: 'gpt-4o-2024-08-06',
    service_tier: 'default',
    system_fingerprint: 'fp_5050236cbd',
  };
  const events = [
    {
      ...base,
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', content: '', refusal: null },
          logprobs: null,
          finish_reason: null,
        },
      ],
    },
  ];
  for (let i = 0; i < CHUNKS - 3; i++) {
    const content = WORDS[i % WORDS.length];
    events.push({
      ...base,
      choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }],
      obfuscation: 'dhWUdLZO',
    });
  }
  events.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] });
  events.push({
    ...base,
    choices: [],
    usage: { prompt_tokens: 14, completion_tokens: CHUNKS - 3, total_tokens: CHUNKS + 11 },
  });
  const encoder = new TextEncoder();
  return [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n'].map((text) =>
    encoder.encode(text),
  );
}

const events = recordedShapeEvents();
let pieces = events;
const expectedText = Array.from({ length: CHUNKS - 3 }, (_, i) => WORDS[i % WORDS.length]).join('');

function responseOver() {
  let index = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (index < pieces.length) controller.enqueue(pieces[index++]);
      else controller.close();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_bench' },
  });
}

const chatwire = createUnsafeChatAdapter()
  .withApi('chat-completions')
  .withApiKey('sk-bench-not-a-real-key')
  .withFetch(async () => responseOver())
  .create();

function viaChatwire() {
  return new Promise((resolve, reject) => {
    let text = '';
    chatwire.streamText('Hi', {
      next: (delta) => {
        text += delta;
      },
      complete: () => resolve(text),
      error: reject,
    });
  });
}

const openai = new OpenAI({
  apiKey: 'sk-bench-not-a-real-key',
  fetch: async () => responseOver(),
  maxRetries: 0,
});

async function viaOpenAi() {
  const stream = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta?.content;
    if (content) text += content;
  }
  return text;
}

/** The same bytes re-cut into fixed-size body chunks (a fast network or a proxy that buffers). */
function fixedSizePieces(size) {
  const all = new Uint8Array(events.reduce((n, piece) => n + piece.length, 0));
  let offset = 0;
  for (const piece of events) {
    all.set(piece, offset);
    offset += piece.length;
  }
  const out = [];
  for (let start = 0; start < all.length; start += size) out.push(all.subarray(start, start + size));
  return out;
}

/** The least work that still reads the same body correctly: decode, split lines, parse JSON. */
async function viaFloor() {
  const reader = responseOver().body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('data: ') && line !== 'data: [DONE]') {
        const content = JSON.parse(line.slice(6)).choices[0]?.delta?.content;
        if (content) text += content;
      }
      newline = buffer.indexOf('\n');
    }
  }
  return text;
}

const runners = [
  ['chatwire (streamText)', viaChatwire],
  ['openai@6 (chat.completions.create, stream)', viaOpenAi],
  ['floor (TextDecoder + split + JSON.parse)', viaFloor],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure() {
  const times = new Map(runners.map(([name]) => [name, []]));
  // Round 0 warms up the JIT and is not counted; rounds interleave the runners so drift hits all alike.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, run] of runners) {
      const start = performance.now();
      const text = await run();
      const ms = performance.now() - start;
      if (text !== expectedText) throw new Error(`${name} decoded the wrong text`);
      if (round > 0) times.get(name).push(ms);
    }
  }
  return new Map([...times].map(([name, list]) => [name, median(list)]));
}

const format = (n) => Math.round(n).toLocaleString('en-US');

function table(title, ms) {
  const [ours, peer, floor] = runners.map(([name]) => ms.get(name));
  return [
    `### ${title}`,
    '',
    '| decoder | chunks/s | median ms | vs chatwire |',
    '|---|---:|---:|---:|',
    ...runners.map(([name]) => {
      const t = ms.get(name);
      return `| ${name} | ${format(CHUNKS / (t / 1000))} | ${t.toFixed(1)} | ${(ours / t).toFixed(2)}x |`;
    }),
    '',
    `chatwire: ${(peer / ours).toFixed(2)}x the chunks/s of openai@6 (target ≥ 2x); ${(ours / floor).toFixed(2)}x the floor's time (target ≤ 1.5x).`,
  ].join('\n');
}

export default async function decodeBench() {
  const mib = (events.reduce((n, piece) => n + piece.length, 0) / 2 ** 20).toFixed(1);
  pieces = events;
  const perEvent = await measure();
  pieces = fixedSizePieces(16 * 1024);
  const fixed = await measure();
  return [
    '## Stream decoding',
    '',
    `${format(CHUNKS)} Chat Completions chunks in the recorded shape (${mib} MiB) read from an in-memory Response`,
    `(no network) by each decoder in the same run; median of ${ROUNDS} interleaved rounds after a warm-up.`,
    'Targets: chatwire ≥ 2x openai@6, and within 1.5x of the floor.',
    '',
    table('One SSE event per body chunk (how a streaming server sends them)', perEvent),
    '',
    table('16 KiB body chunks (events cut anywhere)', fixed),
  ].join('\n');
}
