// Rate limiting and token budgets per client, in the store the owner chose: 429 with Retry-After once a
// client used its quota; a store that fails or hangs refuses (or, if asked, admits) without hanging.
import { afterAll, describe, expect, it } from 'vitest';
import { createOfflineModel, createOpenAiProxy, type RateLimiter } from '../../src/server/index';
import { chatBody, fakeKey, keySightings, postJson, type Served, seen, serveHandler } from './loopback';

const servers: Served[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));
type Options = Parameters<typeof createOpenAiProxy>[0];
const serve = async (options: Partial<Options>) => {
  const server = await serveHandler(
    createOpenAiProxy({ apiKey: fakeKey, upstream, allowedModels: ['gpt-4o-mini'], ...options }),
  );
  servers.push(server);
  return server.url;
};
const upstream = createOfflineModel({ delayMs: 0 });
const errorOf = (text: string) => JSON.parse(text).error;

describe('rateLimit { windowMs, max }', () => {
  it('refuses the request after max with 429, Retry-After and an OpenAI-shaped error', async () => {
    const url = await serve({ rateLimit: { windowMs: 60_000, max: 2 } });
    expect((await postJson(url, chatBody())).status).toBe(200);
    expect((await postJson(url, chatBody())).status).toBe(200);
    const refused = await postJson(url, chatBody());
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(errorOf(refused.text)).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
  });

  it('asks the given store, with req: keys per client, and turns its resetMs into Retry-After seconds', async () => {
    const asked: string[] = [];
    const shared: RateLimiter = {
      async add(key, amount) {
        asked.push(key);
        return { total: asked.length * amount, resetMs: 2500 };
      },
    };
    const url = await serve({
      rateLimit: { windowMs: 60_000, max: 1, store: shared },
      identify: () => 'ann',
    });
    expect((await postJson(url, chatBody())).status).toBe(200);
    const refused = await postJson(url, chatBody());
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(asked).toEqual(['req:user:ann', 'req:user:ann']);
  });
});

describe('a failing store', () => {
  const broken: RateLimiter = {
    add: () => Promise.reject(new Error(`redis://user:${fakeKey}@cache refused`)),
  };
  const hanging: RateLimiter = { add: () => new Promise(() => {}) };
  const nonsense = { add: () => ({ total: 'many', resetMs: 1 }) } as unknown as RateLimiter;

  it("refuses with 503 rate_limit_unavailable by default ('deny'), without the failure's message", async () => {
    for (const store of [broken, nonsense]) {
      const url = await serve({ rateLimit: { windowMs: 60_000, max: 5, store } });
      const response = await postJson(url, chatBody());
      expect(response.status).toBe(503);
      expect(errorOf(response.text)).toMatchObject({ type: 'server_error', code: 'rate_limit_unavailable' });
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.text).not.toContain('redis');
    }
  });

  it('does not hang on a store that never answers: storeTimeoutMs bounds the wait', async () => {
    const url = await serve({ rateLimit: { windowMs: 60_000, max: 5, store: hanging, storeTimeoutMs: 150 } });
    const started = Date.now();
    const response = await postJson(url, chatBody());
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("lets requests through with onStoreError: 'allow'", async () => {
    const url = await serve({
      rateLimit: { windowMs: 60_000, max: 1, store: broken, onStoreError: 'allow' },
    });
    expect((await postJson(url, chatBody())).status).toBe(200);
    expect((await postJson(url, chatBody())).status).toBe(200);
  });
});

describe('a store whose budget reservations fail', () => {
  const counting = (): RateLimiter => ({ add: (_key, amount) => ({ total: amount, resetMs: 1000 }) });
  const reserveFails = (reserve: RateLimiter['reserve']): RateLimiter => ({
    ...counting(),
    reserve,
    release: () => {},
  });

  it("refuses with 503 rate_limit_unavailable ('deny'), or admits ('allow')", async () => {
    for (const store of [
      reserveFails(() => Promise.reject(new Error('down'))),
      reserveFails(() => new Promise(() => {})),
      reserveFails(() => ({ admitted: 'yes' }) as never),
    ]) {
      const limits = { windowMs: 60_000, max: 5, store, storeTimeoutMs: 150 };
      const budget = { tokens: 100_000, windowMs: 60_000 };
      const denied = await postJson(await serve({ rateLimit: limits, budget }), chatBody());
      expect(denied.status).toBe(503);
      expect(errorOf(denied.text).code).toBe('rate_limit_unavailable');
      const url = await serve({ rateLimit: { ...limits, onStoreError: 'allow' }, budget });
      expect((await postJson(url, chatBody())).status).toBe(200);
    }
  });

  it('asks the store to reserve the worst case, and releases it once the reply is charged', async () => {
    const calls: string[] = [];
    const store: RateLimiter = {
      add(key, amount) {
        calls.push(`add ${key} ${amount > 0 ? 'some' : 0}`);
        return { total: 0, resetMs: 1000 };
      },
      reserve(key, _id, amount, limit) {
        calls.push(`reserve ${key} ${amount > 2048 ? 'worst case' : amount} ${limit}`);
        return { admitted: true, total: 0, resetMs: 1000 };
      },
      release(key) {
        calls.push(`release ${key}`);
      },
    };
    const url = await serve({
      rateLimit: { windowMs: 60_000, max: 5, store },
      budget: { tokens: 100_000, windowMs: 60_000 },
      identify: () => 'cy',
    });
    expect((await postJson(url, chatBody('/echo hi', { stream: true }))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual([
      'add req:user:cy some',
      'add tok:user:cy 0',
      'reserve tok:user:cy worst case 100000',
      'add tok:user:cy some',
      'release tok:user:cy',
    ]);
  });
});

describe('budget { tokens, windowMs }', () => {
  it('charges each reply’s reported usage and refuses with 429 budget_exceeded once it is spent', async () => {
    // The offline model reports usage; a short reply costs some tens of tokens.
    const url = await serve({ budget: { tokens: 30, windowMs: 60_000 } });
    const first = await postJson(url, chatBody('/echo one two three', { stream: true }));
    expect(first.status).toBe(200);
    let refused = await postJson(url, chatBody('/echo again', { stream: true }));
    for (let i = 0; i < 5 && refused.status === 200; i++) {
      refused = await postJson(url, chatBody('/echo again', { stream: true }));
    }
    expect(refused.status).toBe(429);
    expect(errorOf(refused.text)).toMatchObject({ type: 'tokens', code: 'budget_exceeded' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
  });

  it('keeps tokens under tok: keys in the rate limit’s store, apart from requests', async () => {
    const counts = new Map<string, number>();
    const store: RateLimiter = {
      add(key, amount) {
        counts.set(key, (counts.get(key) ?? 0) + amount);
        return { total: counts.get(key)!, resetMs: 1000 };
      },
    };
    const url = await serve({
      rateLimit: { windowMs: 60_000, max: 100, store },
      budget: { tokens: 100_000, windowMs: 60_000 },
      identify: () => 'bob',
    });
    await postJson(url, chatBody('/echo hello there', { stream: true }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counts.get('req:user:bob')).toBe(1);
    // The reported usage (a few tens of tokens), not the worst case charged when none is reported.
    expect(counts.get('tok:user:bob')).toBeGreaterThan(5);
    expect(counts.get('tok:user:bob')).toBeLessThan(200);
  });
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(10);
  expect(keySightings()).toEqual([]);
});
