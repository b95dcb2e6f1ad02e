// Load on the proxy: 1,000 concurrent streaming requests on loopback, through createOpenAiProxy (over
// toNodeHandler) to the offline model, against the same model served directly with no proxy in
// between (the peer: what the proxy itself costs). Every reply is checked (complete text, [DONE]);
// memory is sampled before, at the peak and after the run, after a garbage collection.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createOfflineModel, createOpenAiProxy, toNodeHandler } from '../dist/server.js';

const CONCURRENCY = 1000;
const DELAY_MS = 2;
const REQUEST_TIMEOUT_MS = 60_000;
const REPLY = 'Load test reply, streamed a few characters at a time through the proxy. '.repeat(3).trim();

/** A garbage collection if one can be had: `--expose-gc`, else V8's flag set at runtime. */
function findGc() {
  if (typeof globalThis.gc === 'function') return { gc: globalThis.gc, how: '`--expose-gc`' };
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    if (typeof gc === 'function') return { gc, how: 'V8 `--expose-gc` set at runtime' };
  } catch {
    // Fall through: numbers are then taken without a collection, and the section says so.
  }
  return { gc: undefined, how: 'no GC available: "after" includes uncollected garbage' };
}

function listen(handler) {
  const server = http.createServer(toNodeHandler(handler));
  server.keepAliveTimeout = 1000;
  return new Promise((resolve) => {
    // A thousand connections arrive at once: a backlog that holds them all, so none waits on a SYN retry.
    server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}/api/chat`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
const requestBody = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: `/echo ${REPLY}` }],
});

/**
 * One streaming request over node:http (lighter than fetch, so the client takes less of the CPU the
 * server is measured on): time to first byte, total time, and whether the reply arrived whole.
 */
function oneRequest(url) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' }, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`HTTP ${response.statusCode}`));
          return;
        }
        let text = '';
        let firstByte;
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          firstByte ??= performance.now() - started;
          text += chunk;
        });
        response.on('error', reject);
        response.on('end', () => {
          const content = [...text.matchAll(/"content":"((?:[^"\\]|\\.)*)"/g)]
            .map((match) => JSON.parse(`"${match[1]}"`))
            .join('');
          if (content !== REPLY || !text.trimEnd().endsWith('data: [DONE]'))
            reject(new Error('incomplete reply'));
          else resolve({ firstByte, total: performance.now() - started });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(requestBody);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);

async function measure(label, handler, gc, count = CONCURRENCY) {
  const server = await listen(handler);
  // One warm-up request so JIT and connection setup are not charged to the first of the thousand.
  await oneRequest(server.url);
  gc?.();
  const before = process.memoryUsage();
  const peak = { rss: before.rss, heapUsed: before.heapUsed };
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
  }, 10);

  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: count }, () => oneRequest(server.url)));
  const wall = performance.now() - started;
  clearInterval(sampler);
  await server.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc?.();
  const after = process.memoryUsage();

  const ok = outcomes.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => outcome.value);
  const errors = outcomes.filter((outcome) => outcome.status === 'rejected');
  const totals = ok.map((result) => result.total).sort((a, b) => a - b);
  const firstBytes = ok.map((result) => result.firstByte).sort((a, b) => a - b);
  return {
    label,
    completed: ok.length,
    errors: errors.length,
    firstError: errors[0]?.reason?.message,
    perSecond: (ok.length / wall) * 1000,
    p50: percentile(totals, 50),
    p95: percentile(totals, 95),
    ttfb50: percentile(firstBytes, 50),
    ttfb95: percentile(firstBytes, 95),
    before,
    peak,
    after,
  };
}

export default async function proxyLoad() {
  const { gc, how } = findGc();
  // A discarded round first: whichever path ran first would otherwise pay for warming up the process.
  await measure('warm-up', createOfflineModel({ delayMs: DELAY_MS }), gc, 200);
  const direct = await measure('offline model, direct', createOfflineModel({ delayMs: DELAY_MS }), gc);
  const proxied = await measure(
    'through createOpenAiProxy',
    createOpenAiProxy({
      upstream: createOfflineModel({ delayMs: DELAY_MS }),
      allowedModels: ['gpt-4o-mini'],
    }),
    gc,
  );
  const rows = [direct, proxied].map(
    (r) =>
      `| ${r.label} | ${r.completed}/${CONCURRENCY} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ''} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(0)} / ${r.p95.toFixed(0)} | ${r.ttfb50.toFixed(0)} / ${r.ttfb95.toFixed(0)} | ${mb(r.before.rss)} → ${mb(r.peak.rss)} → ${mb(r.after.rss)} | ${mb(r.before.heapUsed)} → ${mb(r.peak.heapUsed)} → ${mb(r.after.heapUsed)} |`,
  );
  const tokens = Math.ceil(Array.from(REPLY).length / 3);
  return [
    `## Proxy under load (${CONCURRENCY.toLocaleString('en')} concurrent streams, loopback)`,
    '',
    `${CONCURRENCY} streaming requests at once from a node:http client in the same process, each an \`/echo\` of ${REPLY.length}`,
    `characters streamed as ${tokens} SSE chunks ${DELAY_MS} ms apart by \`createOfflineModel\`, served over`,
    '`toNodeHandler` on 127.0.0.1. Each reply is checked to be complete and end with `[DONE]`. Times are per',
    `request from the moment it was sent, after one discarded warm-up round; memory is before → peak → after`,
    `(garbage collection: ${how}). RSS rarely shrinks once grown; heap used is the figure that must return.`,
    '',
    '| path | completed | errors | requests/s | total p50 / p95 (ms) | first byte p50 / p95 (ms) | RSS MB | heap used MB |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...[direct, proxied].map((r) => {
      // "Back to baseline": what the run added to the heap is gone, except a sliver (JIT code,
      // caches) under a tenth of what the thousand streams held at their peak.
      const retained = (r.after.heapUsed - r.before.heapUsed) / (r.peak.heapUsed - r.before.heapUsed);
      return `${r.label}: ${r.completed === CONCURRENCY ? 'every stream completed' : 'NOT every stream completed'}; heap keeps ${(retained * 100).toFixed(0)}% of its growth at the peak (${retained < 0.1 ? 'back to baseline' : 'NOT back to baseline'}).`;
    }),
  ].join('\n');
}
