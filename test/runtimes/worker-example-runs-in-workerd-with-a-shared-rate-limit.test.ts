// examples/server/worker.js, bundled as a user would bundle it, run in workerd through miniflare: it
// streams both APIs from the offline model and refuses with JSON; its Durable Object rate-limit store
// counts and holds budget reservations atomically, and two instances of the Worker share one limit
// through it.
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorker } from './support/bundle';
import { compatibilityDate, compatibilityFlags } from './support/runtimes';

const model = 'gpt-4o-mini';
type JsonError = { error: { code: string } };
const requestTimeoutMs = 15_000;
let mf: Miniflare;

beforeAll(async () => {
  const example = await bundleWorker('examples/server/worker.js');
  const storeWorker = await bundleWorker('test/runtimes/rate-limit-store-worker.mjs');
  // Two copies of the example stand for two instances of one deployment; both use the Durable Object
  // class of the first, as every instance of a deployed Worker uses the same objects.
  const sharedObjects = { RATE_LIMITER: { className: 'RateLimitCounter', scriptName: 'proxy-a' } };
  mf = new Miniflare({
    workers: [
      {
        name: 'proxy-a',
        modules: true,
        script: example,
        compatibilityDate,
        compatibilityFlags,
        bindings: { RATE_LIMIT_PER_MINUTE: '1' },
        durableObjects: sharedObjects,
      },
      {
        name: 'proxy-b',
        modules: true,
        script: example,
        compatibilityDate,
        compatibilityFlags,
        bindings: { RATE_LIMIT_PER_MINUTE: '1' },
        durableObjects: sharedObjects,
      },
      {
        name: 'store',
        modules: true,
        script: storeWorker,
        compatibilityDate,
        compatibilityFlags,
        durableObjects: sharedObjects,
      },
    ],
  });
  await mf.ready;
}, 60_000);

afterAll(() => mf?.dispose());

type Fetcher = { fetch(url: string, init: RequestInit): Promise<Response> };

/**
 * POSTs JSON to one of the Workers at `host` (the example allows only `api.example.com`). Each test's
 * client has its own address, set as Cloudflare sets it.
 */
async function post(worker: string, path: string, body: unknown, clientIp: string, host = 'api.example.com') {
  // miniflare's Fetcher type stands for workerd's; at run time it is a fetch like any other.
  const fetcher = (await mf.getWorker(worker)) as unknown as Fetcher;
  return fetcher.fetch(`https://${host}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': clientIp },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
}

function sseData(body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim());
}

describe('the example Worker', () => {
  it('streams a Chat Completions reply from the offline model to [DONE]', async () => {
    const response = await post(
      'proxy-a',
      '/api/chat',
      { model, messages: [{ role: 'user', content: '/echo from a Worker' }], stream: true },
      '198.51.100.1',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseData(await response.text());
    expect(events.at(-1)).toBe('[DONE]');
    const text = events
      .slice(0, -1)
      .map((data) => JSON.parse(data).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toBe('from a Worker');
  });

  it('streams a Responses reply from the offline model to response.completed', async () => {
    const response = await post(
      'proxy-a',
      '/api/v1/responses',
      { model, input: [{ role: 'user', content: '/echo from a Worker' }], stream: true },
      '198.51.100.2',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseData(await response.text()).map((data) => JSON.parse(data));
    expect(events.at(-1)?.type).toBe('response.completed');
    const text = events
      .filter((event) => event.type === 'response.output_text.delta')
      .map((event) => event.delta)
      .join('');
    expect(text).toBe('from a Worker');
  });

  it('refuses a model it does not allow with 400 JSON', async () => {
    const response = await post(
      'proxy-a',
      '/api/chat',
      { model: 'o1', messages: [{ role: 'user', content: 'hi' }], stream: true },
      '198.51.100.3',
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as JsonError).error.code).toBe('model_not_allowed');
  });

  it('refuses a request for another host name with 403 JSON', async () => {
    const body = { model, messages: [{ role: 'user', content: '/echo hi' }], stream: true };
    const response = await post('proxy-a', '/api/chat', body, '198.51.100.5', 'rebound.example');
    expect(response.status).toBe(403);
    expect(((await response.json()) as JsonError).error.code).toBe('host_not_allowed');
  });

  it('answers 404 off its routes', async () => {
    const response = await post('proxy-a', '/admin', {}, '198.51.100.4');
    expect(response.status).toBe(404);
  });

  it('shares one rate limit across instances: over a limit of 1, the second request gets 429', async () => {
    const body = { model, messages: [{ role: 'user', content: '/echo one' }], stream: true };
    const first = await post('proxy-a', '/api/chat', body, '203.0.113.7');
    expect(first.status).toBe(200);
    await first.text();
    // The other instance has counted nothing in its own memory: only the shared store knows.
    const second = await post('proxy-b', '/api/chat', body, '203.0.113.7');
    expect(second.status).toBe(429);
    expect(second.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await second.json()) as JsonError).error.code).toBe('rate_limit_exceeded');
    // Another client is counted apart.
    const other = await post('proxy-b', '/api/chat', body, '203.0.113.8');
    expect(other.status).toBe(200);
    await other.text();
  });
});

type Call = {
  op?: 'reserve' | 'release';
  key: string;
  id?: string;
  amount: number;
  limit?: number;
  windowMs: number;
};
async function add(calls: Call[]): Promise<{ total: number; resetMs: number }[]> {
  const response = await post('store', '/', calls, '192.0.2.1');
  expect(response.status).toBe(200);
  return (await response.json()) as { total: number; resetMs: number }[];
}

describe('the Durable Object rate-limit store', () => {
  it('adds per key, reads with 0, and says when the window resets', async () => {
    const windowMs = 60_000;
    expect((await add([{ key: 'client-1', amount: 1, windowMs }]))[0]!.total).toBe(1);
    expect((await add([{ key: 'client-1', amount: 2, windowMs }]))[0]!.total).toBe(3);
    const [read] = await add([{ key: 'client-1', amount: 0, windowMs }]);
    expect(read!.total).toBe(3);
    expect(read!.resetMs).toBeGreaterThan(0);
    expect(read!.resetMs).toBeLessThanOrEqual(windowMs);
    expect((await add([{ key: 'client-2', amount: 1, windowMs }]))[0]!.total).toBe(1);
    // The same key over another window length is a count of its own.
    expect((await add([{ key: 'client-1', amount: 1, windowMs: 3_600_000 }]))[0]!.total).toBe(1);
  });

  it('is atomic: 20 concurrent adds see totals 1 to 20, each once', async () => {
    const calls = Array.from({ length: 20 }, () => ({ key: 'burst', amount: 1, windowMs: 60_000 }));
    const totals = (await add(calls)).map((result) => result.total).sort((a, b) => a - b);
    expect(totals).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('reserves a budget atomically: beside 300 spent, 20 concurrent holds of 400 in 2,000 admit 4', async () => {
    const windowMs = 60_000;
    await add([{ key: 'tok:budget', amount: 300, windowMs }]);
    const holds = Array.from({ length: 20 }, (_, i) => ({
      op: 'reserve' as const,
      key: 'tok:budget',
      id: `r${i}`,
      amount: 400,
      limit: 2000,
      windowMs,
    }));
    const answers = (await add(holds)) as unknown as { admitted: boolean; total: number }[];
    // 300 spent + 4 × 400 held = 1,900: a fifth would pass 2,000, so only four fit.
    const admitted = holds.filter((_, i) => answers[i]!.admitted);
    expect(admitted.length).toBe(4);
    expect(answers.every((answer) => answer.total === 300)).toBe(true);
    // Released, a hold makes room for one more; with nothing held, one may use what is left.
    await add(admitted.map(({ id }) => ({ op: 'release', key: 'tok:budget', id, amount: 0, windowMs })));
    const [alone] = (await add([{ ...holds[0]!, id: 'big', amount: 5000 }])) as unknown as {
      admitted: boolean;
    }[];
    expect(alone!.admitted).toBe(true);
    const [next] = (await add([{ ...holds[0]!, id: 'after', amount: 1 }])) as unknown as {
      admitted: boolean;
    }[];
    expect(next!.admitted).toBe(false);
  });

  it('starts from zero when the window is over', async () => {
    const windowMs = 500;
    expect((await add([{ key: 'short', amount: 1, windowMs }]))[0]!.total).toBe(1);
    expect((await add([{ key: 'short', amount: 1, windowMs }]))[0]!.total).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, windowMs + 20));
    expect((await add([{ key: 'short', amount: 0, windowMs }]))[0]!.total).toBe(0);
    expect((await add([{ key: 'short', amount: 1, windowMs }]))[0]!.total).toBe(1);
  });
});
