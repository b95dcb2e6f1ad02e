// How fast a long Responses API stream is decoded once its bytes have arrived: 20,000
// `response.output_text.delta` events in the recorded shape (pyai01: logprobs, obfuscation,
// sequence_number; the lifecycle events around them, and the terminal `response.completed` that
// repeats the whole text), held in memory, each SSE event its own body chunk. chatwire's public
// streamText path, openai@6's `responses.create({ stream: true })` with a custom fetch over the same
// bytes, and a hand-written floor (TextDecoder + line split + JSON.parse) read the same bytes in the
// same run.
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

const EVENTS = 20_000;
const ITEM = 'msg_0ecff685e411ca7b0069e063580128819b9ec474594c61b988';

const expectedText = Array.from({ length: EVENTS }, (_, i) => WORDS[i % WORDS.length]).join('');

/** The stream's events as SSE text, in the order and shape the recordings have. */
function recordedShapeEvents() {
  const response = {
    id: 'resp_0ecff685e411ca7b0069e0635740d0819b8a4be5e6c2ee6b9d',
    object: 'response',
    created_at: 1776313175,
    status: 'in_progress',
    model: 'gpt-4o-mini-2024-07-18',
    output: [],
    store: false,
    usage: null,
  };
  let sequence = 0;
  const event = (type, fields) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequence++ })}\n\n`;
  const message = { id: ITEM, type: 'message', status: 'in_progress', content: [], role: 'assistant' };
  const part = { type: 'output_text', annotations: [], logprobs: [], text: expectedText };
  const done = { ...message, status: 'completed', content: [part] };
  const texts = [
    event('response.created', { response }),
    event('response.in_progress', { response }),
    event('response.output_item.added', { item: message, output_index: 0 }),
    event('response.content_part.added', {
      content_index: 0,
      item_id: ITEM,
      output_index: 0,
      part: { ...part, text: '' },
    }),
  ];
  for (let i = 0; i < EVENTS; i++) {
    const delta = WORDS[i % WORDS.length];
    texts.push(
      event('response.output_text.delta', {
        content_index: 0,
        delta,
        item_id: ITEM,
        logprobs: [
          { bytes: [...Buffer.from(delta)], logprob: -1.9361264946837764e-7, token: delta, top_logprobs: [] },
        ],
        obfuscation: 'gXy977j6nL2j2',
        output_index: 0,
      }),
    );
  }
  texts.push(
    event('response.output_text.done', {
      content_index: 0,
      item_id: ITEM,
      logprobs: [],
      output_index: 0,
      text: expectedText,
    }),
    event('response.content_part.done', { content_index: 0, item_id: ITEM, output_index: 0, part }),
    event('response.output_item.done', { item: done, output_index: 0 }),
    event('response.completed', {
      response: {
        ...response,
        status: 'completed',
        output: [done],
        usage: {
          input_tokens: 14,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: EVENTS,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: EVENTS + 14,
        },
      },
    }),
  );
  return encodeEach(texts);
}

const events = recordedShapeEvents();
let pieces = events;
const body = () => responseOver(() => pieces);

const chatwire = createUnsafeChatAdapter()
  .withApiKey('sk-bench-not-a-real-key')
  .withFetch(async () => body())
  .create();

const viaChatwire = () =>
  new Promise((resolve, reject) => {
    let text = '';
    chatwire.streamText('Hi', {
      next: (delta) => {
        text += delta;
      },
      complete: () => resolve(text),
      error: reject,
    });
  });

const openai = new OpenAI({ apiKey: 'sk-bench-not-a-real-key', fetch: async () => body(), maxRetries: 0 });

async function viaOpenAi() {
  const stream = await openai.responses.create({ model: 'gpt-4o-mini', input: 'Hi', stream: true });
  let text = '';
  for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
  return text;
}

async function viaFloor() {
  let text = '';
  await readLines(body(), (event) => {
    if (event.type === 'response.output_text.delta') text += event.delta;
  });
  return text;
}

const runners = [
  ['chatwire (streamText, Responses)', viaChatwire],
  ['openai@6 (responses.create, stream)', viaOpenAi],
  ['floor (TextDecoder + split + JSON.parse)', viaFloor],
];

export default async function responsesDecodeBench() {
  const mib = (events.reduce((n, piece) => n + piece.length, 0) / 2 ** 20).toFixed(1);
  pieces = events;
  const perEvent = await measure(runners, expectedText);
  pieces = fixedSizePieces(events, 16 * 1024);
  const fixed = await measure(runners, expectedText);
  return [
    '## Responses stream decoding',
    '',
    `${format(EVENTS)} \`response.output_text.delta\` events in the recorded shape (${mib} MiB with the lifecycle`,
    'events and the terminal `response.completed`) read from an in-memory Response (no network) by each',
    `decoder in the same run; median of ${ROUNDS} interleaved rounds after a warm-up.`,
    'Targets: chatwire ≥ 2x openai@6, and within 1.5x of the floor.',
    '',
    table(
      'One SSE event per body chunk (how a streaming server sends them)',
      runners,
      perEvent,
      EVENTS,
      'events',
    ),
    '',
    table('16 KiB body chunks (events cut anywhere)', runners, fixed, EVENTS, 'events'),
  ].join('\n');
}
