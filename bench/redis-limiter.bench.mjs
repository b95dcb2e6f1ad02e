// The Redis rate limiter: checks per second through ONE connection and their latency, with both
// common clients (redis, ioredis), against a plain INCR through the same connection in the same run
// (the floor: one round trip, no script). Uses a real redis-server on a free port, started by the
// tests' own helper (test/helpers/redis-server.ts, loaded through esbuild).
import { mkdtempSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createRedisRateLimiter } from '../dist/server.js';

const CHECKS = 20_000;
const IN_FLIGHT = 64;
const SEQUENTIAL = 2_000;
const KEYS = 1_000;

async function importTs(path) {
  const outfile = join(mkdtempSync(join(tmpdir(), 'chatwire-bench-')), 'module.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL(path, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

async function connect(kind, url) {
  if (kind === 'redis') {
    const client = createClient({ url });
    client.on('error', () => {});
    await client.connect();
    return { client, raw: (args) => client.sendCommand(args), quit: () => client.destroy() };
  }
  const client = new Redis(url, { lazyConnect: true });
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    raw: ([command, ...args]) => client.call(command, ...args),
    quit: () => client.disconnect(),
  };
}

/** Runs `count` operations, `inFlight` at a time; returns ops/s and latency percentiles in ms. */
async function drive(operation, count, inFlight) {
  const latencies = new Float64Array(count);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      await operation(i);
      latencies[i] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const wall = performance.now() - started;
  latencies.sort();
  const at = (p) => latencies[Math.min(count - 1, Math.floor(p * count))];
  return { perSecond: (count / wall) * 1000, p50: at(0.5), p99: at(0.99) };
}

export default async function redisLimiter() {
  const load = os.loadavg()[0].toFixed(1);
  const { startRedisServer } = await importTs('../test/helpers/redis-server.ts');
  const server = await startRedisServer();
  const rows = [];
  try {
    for (const kind of ['redis', 'ioredis']) {
      const connection = await connect(kind, server.url);
      // A generous timeout: this measures throughput, and a busy machine must not turn slow answers into refusals.
      const limiter = createRedisRateLimiter({
        client: connection.client,
        prefix: `bench-${kind}:`,
        timeoutMs: 30_000,
      });
      const check = (i) => limiter.add(`client-${i % KEYS}`, 1, 60_000);
      const incr = (i) => connection.raw(['INCR', `bench-incr-${kind}:${i % KEYS}`]);
      await drive(check, 2_000, IN_FLIGHT); // warm-up: JIT, and the script into Redis's cache
      await drive(incr, 2_000, IN_FLIGHT);
      const cells = [];
      for (const [label, operation] of [
        ['`createRedisRateLimiter` check', check],
        ['plain `INCR` (floor)', incr],
      ]) {
        const many = await drive(operation, CHECKS, IN_FLIGHT);
        const one = await drive(operation, SEQUENTIAL, 1);
        cells.push(
          `| ${kind} | ${label} | ${Math.round(many.perSecond).toLocaleString('en')} | ${many.p50.toFixed(2)} / ${many.p99.toFixed(2)} | ${Math.round(one.perSecond).toLocaleString('en')} | ${one.p50.toFixed(3)} / ${one.p99.toFixed(3)} |`,
        );
      }
      rows.push(...cells);
      connection.quit();
    }
  } finally {
    await server.close();
  }
  return [
    '## Redis rate limiter (one connection)',
    '',
    `A real redis-server on loopback (no persistence). ${CHECKS.toLocaleString('en')} checks (\`add(key, 1, 60_000)\`, one Lua`,
    `script each, EVALSHA) over ${KEYS.toLocaleString('en')} keys through one client connection with ${IN_FLIGHT} in flight, then`,
    `${SEQUENTIAL.toLocaleString('en')} one at a time; a plain \`INCR\` through the same connection is the floor. Latency is`,
    `per call as the caller sees it, client included. Load average when it started: ${load}.`,
    '',
    `| client | operation | per s (${IN_FLIGHT} in flight) | p50 / p99 ms (${IN_FLIGHT} in flight) | per s (one at a time) | p50 / p99 ms (one at a time) |`,
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
