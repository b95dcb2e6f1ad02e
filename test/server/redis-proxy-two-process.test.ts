// Two proxy processes, as behind a load balancer, share one rate limit through a real redis-server:
// between them they admit exactly `max` requests, whichever instance each request reaches. When
// Redis goes away they refuse (the default onStoreError, 'deny': a key's spend stays bounded), and
// they admit again once it is back.
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
    children = [0, 1].map(() =>
      spawnNode(bundle, [kind, server.url, String(max), '60000', `proxy-${kind}:`]),
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
  }, 30_000);

  it('refuse while Redis is away, and admit again once it is back', async () => {
    await server.stop();
    try {
      for (const url of urls) {
        const result = await ask(url);
        expect(result.status).not.toBe(200);
        expect(result.status).toBeGreaterThanOrEqual(500);
        expect(typeof result.body.error.message).toBe('string');
        expect(result.body.error.message).not.toMatch(/redis/i);
      }
    } finally {
      await server.start();
    }
    // The restarted Redis is empty (no persistence): the window starts afresh on both instances.
    for (const url of urls) {
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        status = (await ask(url)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    }
  }, 30_000);
});
