// One proxy instance of several behind a load balancer: createOpenAiProxy over the offline model,
// rate-limited (and, given a token count, budgeted) through Redis. argv: kind, redis url, max,
// windowMs, prefix, onStoreError, budget tokens or 0. It prints its URL, serves until stdin closes,
// then exits.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createOfflineModel,
  createOpenAiProxy,
  createRedisRateLimiter,
  toNodeHandler,
} from '../../src/server/index';
import { type ClientKind, connectClient } from './redis-clients';

async function main() {
  const [kind, url, max, windowMs, prefix, onStoreError, budgetTokens] = process.argv.slice(2);
  const connection = await connectClient(kind as ClientKind, url!);
  const store = createRedisRateLimiter({ client: connection.client, prefix: prefix!, timeoutMs: 5000 });
  const handler = createOpenAiProxy({
    upstream: createOfflineModel({ delayMs: 0 }),
    allowedModels: ['gpt-4o-mini'],
    rateLimit: {
      windowMs: Number(windowMs),
      max: Number(max),
      store,
      onStoreError: onStoreError as 'deny' | 'allow',
    },
    ...(Number(budgetTokens) > 0 && { budget: { tokens: Number(budgetTokens), windowMs: Number(windowMs) } }),
  });
  const server = http.createServer(toNodeHandler(handler));
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat\n`);
  });
  process.stdin.resume();
  process.stdin.once('end', async () => {
    server.closeAllConnections();
    server.close();
    await connection.quit();
    process.exit(0);
  });
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
