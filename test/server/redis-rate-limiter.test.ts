// createRedisRateLimiter against a real redis-server (started by the test on a free port), through
// both common clients: exact counts, a sliding window that expires, atomic checks under concurrency
// and across two Node processes, a bounded wait when Redis goes away, and recovery when it returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatError } from '../../src/core/errors';
import type { RateLimiter } from '../../src/server/rate-limit';
import { createRedisRateLimiter } from '../../src/server/redis-rate-limiter';
import { bundleForNode, spawnNode } from '../helpers/node-child';
import { clientKinds, connectClient, type TestClient } from '../helpers/redis-clients';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let server: RedisServer;
let keyCount = 0;
const freshKey = () => `k${++keyCount}`;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.close();
});

describe.each(clientKinds)('with a %s client', (kind) => {
  let connection: TestClient;
  let limiter: RateLimiter;
  beforeAll(async () => {
    connection = await connectClient(kind, server.url);
    // A generous timeout: these tests are about counting, and a busy CI machine can be slow to answer.
    limiter = createRedisRateLimiter({
      client: connection.client,
      prefix: `test-${kind}:`,
      timeoutMs: 10_000,
    });
  });
  afterAll(async () => {
    await connection?.quit();
  });

  it('counts exactly, per key; an amount of 0 only reads', async () => {
    const key = freshKey();
    const totals: number[] = [];
    for (let i = 0; i < 5; i++) totals.push((await limiter.add(key, 1, 60_000)).total);
    expect(totals).toEqual([1, 2, 3, 4, 5]);
    expect((await limiter.add(key, 0, 60_000)).total).toBe(5);
    expect((await limiter.add(key, 1234, 60_000)).total).toBe(1239);
    expect((await limiter.add(freshKey(), 0, 60_000)).total).toBe(0);
    expect((await limiter.add(freshKey(), 7, 60_000)).total).toBe(7);
  });

  it('says when the oldest part of the count leaves the window', async () => {
    const key = freshKey();
    expect((await limiter.add(key, 0, 60_000)).resetMs).toBe(0);
    const first = await limiter.add(key, 1, 60_000);
    // Counted for at least the window and at most one slot (a twentieth) longer.
    expect(first.resetMs).toBeGreaterThan(60_000 - 200);
    expect(first.resetMs).toBeLessThanOrEqual(63_000);
    await sleep(50);
    const second = await limiter.add(key, 1, 60_000);
    expect(second.resetMs).toBeLessThanOrEqual(first.resetMs);
  });

  it('stores under the prefix, with an expiry, and nothing else', async () => {
    const key = freshKey();
    await limiter.add(key, 3, 10_000);
    const stored = `test-${kind}:${key}`;
    expect(await connection.command('EXISTS', stored)).toBe(1);
    const ttl = Number(await connection.command('PTTL', stored));
    expect(ttl).toBeGreaterThan(9_000);
    expect(ttl).toBeLessThanOrEqual(10_500);
    expect(await connection.command('EXISTS', key)).toBe(0);
  });

  it('stores an 8 KB key as a bounded one, still counted on its own', async () => {
    const long = `${freshKey()}${'x'.repeat(8192)}`;
    expect((await limiter.add(long, 2, 10_000)).total).toBe(2);
    expect((await limiter.add(`${long}y`, 1, 10_000)).total).toBe(1);
    const keys = (await connection.command('KEYS', `test-${kind}:*`)) as string[];
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThan(200);
  });

  it('slides: each amount leaves the window on its own, and the key is then gone', async () => {
    const key = freshKey();
    const windowMs = 1000;
    const started = Date.now();
    await limiter.add(key, 1, windowMs);
    await sleep(600);
    await limiter.add(key, 10, windowMs);
    // The first amount was counted for 1000–1050 ms; the second stays until at least 1600 ms.
    await sleep(Math.max(0, 1150 - (Date.now() - started)));
    const middle = await limiter.add(key, 0, windowMs);
    expect(Date.now() - started).toBeLessThan(1600);
    expect(middle.total).toBe(10);
    await sleep(1750 - (Date.now() - started));
    expect((await limiter.add(key, 0, windowMs)).total).toBe(0);
    expect(await connection.command('EXISTS', `test-${kind}:${key}`)).toBe(0);
  });

  it('is atomic: 300 checks at once on one key get each total from 1 to 300 once', async () => {
    const key = freshKey();
    const counts = await Promise.all(Array.from({ length: 300 }, () => limiter.add(key, 1, 60_000)));
    expect(counts.map((count) => count.total).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
  });

  it('reserves atomically: 50 reservations at once admit exactly what fits, and release frees them', async () => {
    const key = freshKey();
    await limiter.add(key, 200, 60_000);
    const ids = Array.from({ length: 50 }, (_, i) => `id${i}`);
    const answers = await Promise.all(ids.map((id) => limiter.reserve!(key, id, 100, 1000, 60_000)));
    // 200 spent + 8 × 100 held = 1000.
    expect(answers.filter((answer) => answer.admitted)).toHaveLength(8);
    expect(answers.every((answer) => answer.total === 200)).toBe(true);
    // Exactly 800 is held: one more token does not fit beside the 200 spent.
    expect((await limiter.reserve!(key, 'one-more', 1, 1000, 60_000)).admitted).toBe(false);
    // Reservations are not part of add's count.
    expect((await limiter.add(key, 0, 60_000)).total).toBe(200);
    const admitted = ids.filter((_, i) => answers[i]!.admitted);
    for (const id of admitted) await limiter.release!(key, id);
    expect((await limiter.reserve!(key, 'again', 800, 1000, 60_000)).admitted).toBe(true);
  });

  it('admits one reservation past the limit while nothing else is held and some is left', async () => {
    const key = freshKey();
    await limiter.add(key, 900, 60_000);
    const [first, second] = await Promise.all([
      limiter.reserve!(key, 'a', 500, 1000, 60_000),
      limiter.reserve!(key, 'b', 500, 1000, 60_000),
    ]);
    expect([first!.admitted, second!.admitted].sort()).toEqual([false, true]);
    await limiter.release!(key, first!.admitted ? 'a' : 'b');
    await limiter.add(key, 100, 60_000);
    expect((await limiter.reserve!(key, 'c', 1, 1000, 60_000)).admitted).toBe(false);
  });

  it('lets a reservation that is never released lapse after the window', async () => {
    const key = freshKey();
    expect((await limiter.reserve!(key, 'lost', 900, 1000, 300)).admitted).toBe(true);
    expect((await limiter.reserve!(key, 'next', 200, 1000, 300)).admitted).toBe(false);
    await sleep(350);
    expect((await limiter.reserve!(key, 'next', 200, 1000, 300)).admitted).toBe(true);
  });

  it('refuses bad arguments with invalid-config', async () => {
    for (const [key, amount, windowMs] of [
      [1, 1, 1000],
      ['k', -1, 1000],
      ['k', 1.5, 1000],
      ['k', 1, 0],
      ['k', 1, Number.NaN],
    ] as [string, number, number][]) {
      const failure = await Promise.resolve()
        .then(() => limiter.add(key, amount, windowMs))
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ChatError);
      expect((failure as ChatError).code).toBe('invalid-config');
    }
  });
});

describe('createRedisRateLimiter options', () => {
  it('refuses a client it cannot talk to, and bad options, at the call', () => {
    for (const options of [
      { client: {} },
      { client: null },
      { client: { call: async () => 1 }, timeoutMs: 0 },
      { client: { call: async () => 1 }, prefix: 3 },
    ]) {
      expect(() => createRedisRateLimiter(options as never)).toThrow(
        expect.objectContaining({ code: 'invalid-config' }),
      );
    }
  });

  it('works through a tiny adapter of either shape', async () => {
    const connection = await connectClient('ioredis', server.url);
    try {
      const viaSend = createRedisRateLimiter({
        client: { sendCommand: (args) => connection.command(...args) },
        prefix: 'adapter:',
        timeoutMs: 10_000,
      });
      const viaCall = createRedisRateLimiter({
        client: { call: (command, ...args) => connection.command(command, ...args) },
        prefix: 'adapter:',
        timeoutMs: 10_000,
      });
      const key = freshKey();
      expect((await viaSend.add(key, 2, 60_000)).total).toBe(2);
      expect((await viaCall.add(key, 3, 60_000)).total).toBe(5);
    } finally {
      await connection.quit();
    }
  });
});

let workerBundle: Promise<string> | undefined;

describe.each(clientKinds)('two Node processes with %s clients', (kind) => {
  it('admit exactly max between them', async () => {
    workerBundle ??= bundleForNode('test/helpers/redis-limiter-worker.ts');
    const bundle = await workerBundle;
    const key = freshKey();
    const max = 25;
    const children = [0, 1].map(() => spawnNode(bundle, [kind, server.url, key, String(max), '40']));
    for (const child of children) expect(await child.nextLine()).toBe('ready');
    for (const child of children) child.send('go');
    const results = await Promise.all(children.map(async (child) => JSON.parse(await child.nextLine())));
    for (const child of children) expect(await child.exited).toBe(0);

    expect(results[0].admitted + results[1].admitted).toBe(max);
    // Both processes took part, and between them every total from 1 to 80 was handed out once.
    expect(results[0].totals.length).toBe(40);
    expect([...results[0].totals, ...results[1].totals].sort((a: number, b: number) => a - b)).toEqual(
      Array.from({ length: 80 }, (_, i) => i + 1),
    );
  }, 90_000);
});

describe.each(clientKinds)('when Redis goes away (%s client)', (kind) => {
  let connection: TestClient;
  let limiter: RateLimiter;
  beforeAll(async () => {
    connection = await connectClient(kind, server.url);
    limiter = createRedisRateLimiter({ client: connection.client, prefix: 'outage:', timeoutMs: 300 });
  });
  afterAll(async () => {
    await connection?.quit();
  });
  const failureOf = (key: string) =>
    Promise.resolve()
      .then(() => limiter.add(key, 1, 60_000))
      .then(
        () => undefined,
        (error: Error) => error,
      );
  /** Polls with `key` until a check succeeds (the client reconnects on its own). */
  const untilBack = async (key: string) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const total = await Promise.resolve()
        .then(() => limiter.add(key, 1, 60_000))
        .then(
          (count) => count.total,
          () => undefined,
        );
      if (total !== undefined) return;
      await sleep(100);
    }
    throw new Error('Redis never came back');
  };

  it('stopped: rejects at once, and counts again (from zero: nothing persisted) once it is back', async () => {
    const key = freshKey();
    expect((await limiter.add(key, 1, 60_000)).total).toBe(1);
    await server.stop();
    try {
      const started = Date.now();
      // Another key: a check our side gave up on may still reach Redis once the client reconnects (its
      // offline queue), and it must not count on the key whose count the restart is to have lost.
      const failure = await failureOf(freshKey());
      expect(failure).toBeInstanceOf(Error);
      expect(failure!.message).toMatch(/^Redis rate limiter: /);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await server.start();
    }
    // Polled with another key: a poll that timed out on our side may still run once the client has
    // reconnected, so only a key no poll touched shows what survived the restart. The restarted Redis
    // has lost the script cache too, so the first poll also takes the NOSCRIPT path.
    await untilBack(freshKey());
    expect((await limiter.add(key, 1, 60_000)).total).toBe(1);
    expect((await limiter.add(key, 1, 60_000)).total).toBe(2);
  }, 90_000);

  it('frozen: rejects after timeoutMs instead of waiting, and answers again when it thaws', async () => {
    const key = freshKey();
    expect((await limiter.add(key, 1, 60_000)).total).toBe(1);
    server.pause();
    let waited: number;
    let failure: Error | undefined;
    try {
      const started = Date.now();
      failure = await failureOf(key);
      waited = Date.now() - started;
    } finally {
      server.resume();
    }
    expect(failure!.message).toBe('Redis rate limiter: no answer from Redis within 300 ms.');
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(3000);
    // The check that timed out had reached Redis, which runs it on thawing: it counts. (Polled with
    // another key, so that a poll timing out under load cannot count on this one.)
    await untilBack(freshKey());
    expect((await limiter.add(key, 1, 60_000)).total).toBe(3);
  }, 90_000);
});
