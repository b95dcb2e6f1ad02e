// The README promises Node, Deno, Bun and Cloudflare Workers. The same checks (checks.mjs, Web APIs
// only) run in each as its own process against the built dist/: the proxy streams both APIs from the
// offline model, refuses a bad request with JSON, the adapter streams a recording of each API through withFetch,
// and a client's abort reaches the upstream.
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../helpers/fixture-server';
import { bundleWorker, REPO_DIR } from './support/bundle';
import { type FixtureSite, startFixtureSite } from './support/fixture-site';
import { runChild } from './support/run-child';
import {
  type CommandLineRuntime,
  commandLine,
  compatibilityDate,
  compatibilityFlags,
  runtimeEnv,
} from './support/runtimes';

const checks = [
  'proxy streams a Chat Completions reply to [DONE]',
  'proxy streams a Responses reply to response.completed',
  'proxy refuses a disallowed model with 400 JSON',
  'unsafe adapter streams recorded replies of both APIs through withFetch',
  'a client abort reaches the upstream',
];
type CheckResult = { name: string; ok: boolean; detail?: string };

// Generous for a loaded two-core machine; a healthy run takes well under a second per runtime.
const childTimeoutMs = 30_000;

let fixtureServer: FixtureServer;
let fixtures: FixtureSite;

beforeAll(async () => {
  ({ server: fixtureServer, site: fixtures } = await startFixtureSite());
});
afterAll(() => fixtureServer?.close());

/** Runs the checks in a child process and returns its results, or throws with what it printed. */
async function runInChild(runtime: CommandLineRuntime): Promise<CheckResult[]> {
  const { command, args } = commandLine(runtime, 'test/runtimes/run-checks.mjs', [
    JSON.stringify({ fixtures }),
  ]);
  const child = await runChild(command, args, { cwd: REPO_DIR, env: runtimeEnv, timeoutMs: childTimeoutMs });
  const lastLine = child.stdout.trim().split('\n').at(-1) ?? '';
  if (!lastLine.startsWith('[')) {
    throw new Error(`${runtime} exited with ${child.code} and no results:\n${child.stdout}\n${child.stderr}`);
  }
  return JSON.parse(lastLine);
}

/** Runs the checks in workerd: the bundled checks Worker, through miniflare's local runtime. */
async function runInWorkerd(): Promise<CheckResult[]> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker('test/runtimes/checks-worker.mjs'),
    compatibilityDate,
    compatibilityFlags,
  });
  try {
    const response = await mf.dispatchFetch('http://localhost/', {
      method: 'POST',
      body: JSON.stringify({ fixtures }),
      signal: AbortSignal.timeout(childTimeoutMs),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the checks Worker answered ${response.status}: ${text}`);
    return JSON.parse(text);
  } finally {
    await mf.dispose();
  }
}

describe.each(['node', 'deno', 'bun', 'workerd'] as const)('under %s', (runtime) => {
  let results: CheckResult[];
  beforeAll(async () => {
    results = runtime === 'workerd' ? await runInWorkerd() : await runInChild(runtime);
  }, childTimeoutMs + 30_000);

  it('runs every check', () => {
    expect(results.map((result) => result.name)).toEqual(checks);
  });

  it.each(checks)('%s', (name) => {
    const result = results.find((candidate) => candidate.name === name);
    expect(result, `no result for "${name}"`).toBeDefined();
    expect(result!.ok, result!.detail).toBe(true);
  });
});
