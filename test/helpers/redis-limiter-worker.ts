// A second process sharing a Redis limit. argv: kind, redis url, key, max, attempts. It connects,
// prints "ready", waits for "go" on stdin, fires all its checks at once, prints a JSON line
// { admitted, totals } (admitted = checks whose total stayed within max), then exits.
import { createInterface } from 'node:readline';
import { createRedisRateLimiter } from '../../src/server/redis-rate-limiter';
import { type ClientKind, connectClient } from './redis-clients';

async function main() {
  const [kind, url, key, max, attempts] = process.argv.slice(2);
  const connection = await connectClient(kind as ClientKind, url!);
  const limiter = createRedisRateLimiter({ client: connection.client, prefix: 'two-process:' });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    createInterface({ input: process.stdin }).once('line', () => resolve());
  });
  const counts = await Promise.all(
    Array.from({ length: Number(attempts) }, () => limiter.add(key!, 1, 60_000)),
  );
  const totals = counts.map((count) => count.total);
  process.stdout.write(
    `${JSON.stringify({ admitted: totals.filter((t) => t <= Number(max)).length, totals })}\n`,
  );
  await connection.quit();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
