// Two proxy processes, as behind a load balancer, share one rate limit and one token budget through a
// real redis-server: between them they admit exactly `max` requests, whichever instance each request
// reaches, and a budget spent through one is spent for the other. When Redis goes away they refuse
// (onStoreError 'deny', the default: a key's spend stays bounded) or admit ('allow'), and they count
// again once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode, type NodeChild, spawnNode } from '../helpers/node-child';
import { clientKinds } from '../helpers/redis-clients';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';

let server: RedisServer;
let bundle: string;
beforeAll(async () => {
  [server, bundle] = await Promise.all([
    startRedisServer(),
    bundleForNode('test/helpers/redis-proxy-worker.ts'),
  ]);
});
afterAll(async () => {
  await server?.close();
});

const ask = (url: string, content = '/echo ok') =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  }).then(async (response) => ({ status: response.status, body: await response.json() }));

describe.each(clientKinds)('two proxy processes with %s clients', (kind) => {
  const max = 12;
  let children: NodeChild[] = [];
  let urls: string[] = [];
  beforeAll(async () => {
    // Two instances with the default onStoreError, and one that admits requests when Redis is away.
    children = ['deny', 'deny', 'allow'].map((onStoreError) =>
      spawnNode(bundle, [kind, server.url, String(max), '60000', `proxy-${kind}:`, onStoreError, '0']),
    );
    urls = await Promise.all(children.map((child) => child.nextLine()));
  });
  afterAll(async () => {
    for (const child of children) child.process.stdin!.end();
    await Promise.all(children.map((child) => child.exited));
  });

  it('admit exactly max requests between them', async () => {
    // Five through the first instance, then 25 at once alternating between both.
    for (let i = 0; i < 5; i++) expect((await ask(urls[0]!)).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => ask(urls[i % 2]!)));
    const admitted = results.filter((result) => result.status === 200);
    expect(admitted).toHaveLength(max - 5);
    for (const result of admitted) expect(result.body.choices[0].message.content).toBe('ok');
    const refused = results.filter((result) => result.status !== 200);
    expect(refused.every((result) => result.status === 429)).toBe(true);
    expect(refused[0]!.body.error.code).toBe('rate_limit_exceeded');
    // The second instance, on its own, counts what the first admitted: it refuses too.
    expect((await ask(urls[1]!)).status).toBe(429);
  }, 90_000);

  it("refuse while Redis is away ('deny'), or admit ('allow'), and count again once it is back", async () => {
    await server.stop();
    try {
      for (const url of urls.slice(0, 2)) {
        const result = await ask(url);
        expect(result.status).toBe(503);
        expect(result.body.error.code).toBe('rate_limit_unavailable');
        expect(result.body.error.message).not.toMatch(/redis/i);
      }
      const allowed = await ask(urls[2]!);
      expect(allowed.status).toBe(200);
      expect(allowed.body.choices[0].message.content).toBe('ok');
    } finally {
      await server.start();
    }
    // The restarted Redis is empty (no persistence): the window starts afresh, shared again. Each
    // instance's client reconnects on its own schedule, so wait until both are admitted once.
    for (const url of urls.slice(0, 2)) {
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        status = (await ask(url)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    }
    const more = [];
    for (let i = 0; i < max + 1; i++) more.push((await ask(urls[i % 2]!)).status);
    expect(more.filter((s) => s === 200)).toHaveLength(max - 2);
    expect(more.slice(-3)).toEqual([429, 429, 429]);
  }, 90_000);
});

describe('a token budget shared by two proxy processes', () => {
  it('spent through one instance is spent for the other', async () => {
    const children = [0, 1].map(() =>
      spawnNode(bundle, ['ioredis', server.url, '1000', '60000', 'budget:', 'deny', '100']),
    );
    try {
      const urls = await Promise.all(children.map((child) => child.nextLine()));
      // Each /echo reply reports its usage; the proxy charges it to the client's budget in Redis.
      const statuses: number[] = [];
      for (let i = 0; i < 20 && statuses.at(-1) !== 429; i++) {
        statuses.push((await ask(urls[0]!, `/echo ${'spend '.repeat(10)}`)).status);
      }
      expect(statuses.at(-1)).toBe(429);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(1);
      const other = await ask(urls[1]!);
      expect(other.status).toBe(429);
      expect(other.body.error.code).toBe('budget_exceeded');
    } finally {
      for (const child of children) child.process.stdin!.end();
      await Promise.all(children.map((child) => child.exited));
    }
  }, 90_000);
});
