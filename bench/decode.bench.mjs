// How fast a long stream is decoded once its bytes have arrived: 20,000 Chat Completions chunks in
// OpenAI's recorded shape, held in memory (no network), each SSE event its own body chunk as a
// streaming server sends them. chatwire's public streamText path, openai@6's
// `chat.completions.create({ stream: true })` with a custom fetch over the same bytes, and a
// hand-written floor (TextDecoder + line split + JSON.parse) read the same Response body in the same run.
import OpenAI from 'openai';
import { createUnsafeChatAdapter } from '../dist/index.js';
import {
  encodeEach,
  fixedSizePieces,
  format,
  measure,
  ROUNDS,
  readLines,
  responseOver,
  table,
  WORDS,
} from './decode-harness.mjs';

const CHUNKS = 20_000;

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
  return encodeEach([...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n']);
}

const events = recordedShapeEvents();
let pieces = events;
const expectedText = Array.from({ length: CHUNKS - 3 }, (_, i) => WORDS[i % WORDS.length]).join('');

const body = () => responseOver(() => pieces);

const chatwire = createUnsafeChatAdapter()
  .withApi('chat-completions')
  .withApiKey('sk-bench-not-a-real-key')
  .withFetch(async () => body())
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
  fetch: async () => body(),
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

async function viaFloor() {
  let text = '';
  await readLines(body(), (chunk) => {
    const content = chunk.choices[0]?.delta?.content;
    if (content) text += content;
  });
  return text;
}

const runners = [
  ['chatwire (streamText)', viaChatwire],
  ['openai@6 (chat.completions.create, stream)', viaOpenAi],
  ['floor (TextDecoder + split + JSON.parse)', viaFloor],
];

export default async function decodeBench() {
  const mib = (events.reduce((n, piece) => n + piece.length, 0) / 2 ** 20).toFixed(1);
  pieces = events;
  const perEvent = await measure(runners, expectedText);
  pieces = fixedSizePieces(events, 16 * 1024);
  const fixed = await measure(runners, expectedText);
  return [
    '## Stream decoding',
    '',
    `${format(CHUNKS)} Chat Completions chunks in the recorded shape (${mib} MiB) read from an in-memory Response`,
    `(no network) by each decoder in the same run; median of ${ROUNDS} interleaved rounds after a warm-up.`,
    'Targets: chatwire ≥ 2x openai@6, and within 1.5x of the floor.',
    '',
    table(
      'One SSE event per body chunk (how a streaming server sends them)',
      runners,
      perEvent,
      CHUNKS,
      'chunks',
    ),
    '',
    table('16 KiB body chunks (events cut anywhere)', runners, fixed, CHUNKS, 'chunks'),
  ].join('\n');
}
