// The checks every runtime must pass. Only Web-standard APIs (fetch, Request, Response, streams,
// TextDecoder, AbortController) are used here, so this one module runs unchanged under Node, Deno, Bun
// and workerd; each runtime's entry script calls `runChecks` and prints or returns the results.
import { createUnsafeChatAdapter } from '../../dist/index.js';
import { createOfflineModel, createOpenAiProxy } from '../../dist/server.js';

const model = 'gpt-4o-mini';
const echoed = 'Hello from every runtime: ünïcödé, emoji 🦕, and a long enough line to span pieces.';
// A check that hangs (a stream that never ends) fails on its own instead of stalling the others.
const checkTimeoutMs = 5_000;

/**
 * @typedef {{ name: string, ok: boolean, detail?: string }} CheckResult
 * @typedef {{ origin: string, texts: Record<string, string> }} FixtureSite
 *   where the test's loopback server replays recorded OpenAI streams, and the text each path's recording holds
 */

/**
 * Runs every check and never throws: a failure is a result with `ok: false` and what went wrong.
 * @param {{ fixtures: FixtureSite }} options
 * @returns {Promise<CheckResult[]>}
 */
export async function runChecks({ fixtures }) {
  const checks = {
    'proxy streams a Chat Completions reply to [DONE]': proxyStreamsChatCompletions,
    'proxy streams a Responses reply to response.completed': proxyStreamsResponses,
    'proxy refuses a disallowed model with 400 JSON': proxyRefusesDisallowedModel,
    'unsafe adapter streams recorded replies of both APIs through withFetch': () =>
      adapterStreamsFixtures(fixtures),
    'a client abort reaches the upstream': clientAbortReachesUpstream,
  };
  const results = [];
  for (const [name, check] of Object.entries(checks)) {
    try {
      await withTimeout(check(), checkTimeoutMs);
      results.push({ name, ok: true });
    } catch (error) {
      results.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

function offlineProxy() {
  return createOpenAiProxy({ upstream: createOfflineModel({ delayMs: 0 }), allowedModels: [model] });
}

function postJson(url, body, init = {}) {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
}

async function proxyStreamsChatCompletions() {
  const response = await offlineProxy()(
    postJson('https://app.example/api/v1/chat/completions', {
      model,
      messages: [{ role: 'user', content: `/echo ${echoed}` }],
      stream: true,
    }),
  );
  expectStream(response);
  const events = sseData(await response.text());
  expect(events.at(-1) === '[DONE]', `the stream ends in ${JSON.stringify(events.at(-1))}, not [DONE]`);
  const text = events
    .slice(0, -1)
    .map((data) => JSON.parse(data).choices[0]?.delta?.content ?? '')
    .join('');
  expect(text === echoed, `the deltas read ${JSON.stringify(text)}`);
}

async function proxyStreamsResponses() {
  const response = await offlineProxy()(
    postJson('https://app.example/api/v1/responses', {
      model,
      input: [{ role: 'user', content: `/echo ${echoed}` }],
      stream: true,
    }),
  );
  expectStream(response);
  const events = sseData(await response.text()).map((data) => JSON.parse(data));
  const last = events.at(-1)?.type;
  expect(last === 'response.completed', `the stream ends in ${JSON.stringify(last)}, not response.completed`);
  const text = events
    .filter((event) => event.type === 'response.output_text.delta')
    .map((event) => event.delta)
    .join('');
  expect(text === echoed, `the deltas read ${JSON.stringify(text)}`);
}

async function proxyRefusesDisallowedModel() {
  const response = await offlineProxy()(
    postJson('https://app.example/api/chat', {
      model: 'o1',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    }),
  );
  expect(response.status === 400, `status ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  expect(type.startsWith('application/json'), `content-type ${type}`);
  const body = await response.json();
  expect(body.error?.code === 'model_not_allowed', `error ${JSON.stringify(body.error)}`);
}

async function adapterStreamsFixtures(fixtures) {
  const paths = { 'chat-completions': '/v1/chat/completions', responses: '/v1/responses' };
  for (const [api, path] of Object.entries(paths)) {
    const calledUrls = [];
    const adapter = createUnsafeChatAdapter()
      .withApi(api)
      .withApiKey('sk-rt')
      .withBaseUrl(`${fixtures.origin}/v1`)
      .withMaxRetries(0)
      .withFetch((input, init) => {
        calledUrls.push(new Request(input, init).url);
        return fetch(input, init);
      })
      .create();
    const deltas = [];
    const result = await new Promise((resolve, reject) => {
      adapter.streamText('What is the weather in San Francisco?', {
        next: (delta) => deltas.push(delta),
        complete: resolve,
        error: reject,
      });
    });
    const expected = fixtures.texts[path];
    expect(expected, `no recording is served at ${path}`);
    expect(
      calledUrls.length === 1 && new URL(calledUrls[0]).pathname === path,
      `${api}: withFetch's fetch was called for ${JSON.stringify(calledUrls)}`,
    );
    expect(deltas.join('') === expected, `${api}: the deltas read ${JSON.stringify(deltas.join(''))}`);
    expect(result.text === expected, `${api}: the result's text is ${JSON.stringify(result.text)}`);
    expect(result.finishReason === 'stop', `${api}: finishReason ${result.finishReason}`);
  }
}

async function clientAbortReachesUpstream() {
  const encoder = new TextEncoder();
  let upstreamAborted;
  const aborted = new Promise((resolve) => {
    upstreamAborted = resolve;
  });
  // An upstream that sends one chunk and then never ends, as a model mid-reply would.
  const upstream = async (request) => {
    request.signal.addEventListener('abort', () => upstreamAborted('signal'));
    const chunk = { choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }] };
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`));
      },
      cancel: () => upstreamAborted('cancel'),
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
  const proxy = createOpenAiProxy({ upstream, allowedModels: [model] });
  const client = new AbortController();
  const response = await proxy(
    postJson(
      'https://app.example/api/chat',
      { model, messages: [{ role: 'user', content: 'hi' }], stream: true },
      { signal: client.signal },
    ),
  );
  expectStream(response);
  const reader = response.body.getReader();
  const first = await reader.read();
  expect(!first.done, 'the stream ended before its first chunk');
  client.abort();
  const how = await withTimeout(aborted, 2_000, 'the upstream saw no abort within 2 s');
  expect(how === 'signal', `the upstream saw the abort only as a ${how}, not on its request's signal`);
}

function expectStream(response) {
  expect(response.status === 200, `status ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  expect(type.startsWith('text/event-stream'), `content-type ${type}`);
}

/** The `data:` payloads of an SSE body, in order (enough for the single-line events OpenAI sends). */
function sseData(body) {
  return body
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim());
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

function withTimeout(promise, ms, message = `no result within ${ms} ms`) {
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
