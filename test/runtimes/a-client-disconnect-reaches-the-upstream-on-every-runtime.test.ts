// A browser that closes the connection mid-reply must stop the upstream call, or the reply keeps
// running (and costing) with no one to read it. Each runtime serves the disconnect probe with its own
// HTTP server (node:http through toNodeHandler, Deno.serve, Bun.serve, workerd through miniflare); the
// test reads the first chunk over real HTTP, aborts, and waits for the probe's upstream to report.
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../helpers/fixture-server';
import { bundleWorker, REPO_DIR } from './support/bundle';
import { type ServerChild, startServerChild } from './support/run-child';
import {
  type CommandLineRuntime,
  commandLine,
  compatibilityDate,
  compatibilityFlags,
  runtimeEnv,
} from './support/runtimes';

const startTimeoutMs = 30_000;
const reportTimeoutMs = 5_000;
let reports: FixtureServer;

beforeAll(async () => {
  reports = await startFixtureServer([{ status: 204 }]);
});
afterAll(() => reports?.close());

/** Starts the probe under `runtime`; returns its base URL and how to stop it. */
async function serveProbe(
  runtime: CommandLineRuntime | 'workerd',
): Promise<{ url: string; stop(): Promise<void> }> {
  const reportUrl = `${reports.origin}/aborted`;
  if (runtime === 'workerd') {
    const mf = new Miniflare({
      modules: true,
      script: await bundleWorker('test/runtimes/disconnect-probe-worker.mjs'),
      compatibilityDate,
      compatibilityFlags,
      bindings: { REPORT_URL: reportUrl },
    });
    const url = await mf.ready;
    return { url: url.href, stop: () => mf.dispose() };
  }
  const { command, args } = commandLine(runtime, 'test/runtimes/serve-disconnect-probe.mjs', [reportUrl]);
  const child: ServerChild = await startServerChild(command, args, {
    cwd: REPO_DIR,
    env: runtimeEnv,
    timeoutMs: startTimeoutMs,
  });
  const { port } = JSON.parse(child.firstLine) as { port: number };
  return { url: `http://127.0.0.1:${port}/`, stop: child.stop };
}

async function waitForReport(): Promise<string | undefined> {
  const deadline = Date.now() + reportTimeoutMs;
  while (Date.now() < deadline) {
    const report = reports.requests.find((request) => request.url === '/aborted');
    if (report) return report.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

describe.each(['node', 'deno', 'bun', 'workerd'] as const)('under %s', (runtime) => {
  it(
    "a client's disconnect over HTTP reaches the upstream",
    async () => {
      reports.requests.length = 0;
      const probe = await serveProbe(runtime);
      try {
        const client = new AbortController();
        const response = await fetch(probe.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'hi' }],
            stream: true,
          }),
          signal: client.signal,
        });
        expect(response.status).toBe(200);
        const first = await response.body!.getReader().read();
        expect(new TextDecoder().decode(first.value)).toContain('partial');
        expect(reports.requests).toHaveLength(0);
        client.abort();
        // The upstream learns through its request's signal or through its body being cancelled.
        expect(await waitForReport()).toMatch(/^(signal|cancel)$/);
      } finally {
        await probe.stop();
      }
    },
    startTimeoutMs + reportTimeoutMs + 10_000,
  );
});
