// The README promises Node, Deno, Bun and Cloudflare Workers. The same checks (checks.mjs, Web APIs
// only) run in each as its own process against the built dist/: the proxy streams both APIs from the
// offline model, refuses a bad request with JSON, the adapter streams a recording through withFetch,
// and a client's abort reaches the upstream.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../helpers/fixture-server';
import { bundleWorker, REPO_DIR } from './support/bundle';
import { type FixtureSite, startFixtureSite } from './support/fixture-site';
import { runChild } from './support/run-child';

const checks = [
  'proxy streams a Chat Completions reply to [DONE]',
  'proxy streams a Responses reply to response.completed',
  'proxy refuses a disallowed model with 400 JSON',
  'unsafe adapter streams a recorded fixture through withFetch',
  'a client abort reaches the upstream',
];
type CheckResult = { name: string; ok: boolean; detail?: string };

const bin = (name: string) => join(REPO_DIR, 'node_modules', '.bin', name);
const script = join(REPO_DIR, 'test', 'runtimes', 'run-checks.mjs');
// Generous for a loaded two-core machine; a healthy run takes well under a second per runtime.
const childTimeoutMs = 30_000;

// Each runtime as a command line. Nothing may come from the network: Deno gets no remote or npm
// imports, no config or package.json lookup and only loopback network; Bun never auto-installs.
const commandLines: Record<string, (options: string) => { command: string; args: string[] }> = {
  node: (options) => ({ command: process.execPath, args: [script, options] }),
  deno: (options) => ({
    command: bin('deno'),
    args: [
      'run',
      '--no-remote',
      '--no-npm',
      '--no-config',
      '--no-lock',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      script,
      options,
    ],
  }),
  bun: (options) => ({ command: bin('bun'), args: ['--no-install', script, options] }),
};
const quietEnv = {
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PACKAGE_JSON: '1',
  DENO_DIR: join(tmpdir(), 'chatwire-runtime-tests-deno'),
  DO_NOT_TRACK: '1',
};

let fixtureServer: FixtureServer;
let fixtures: FixtureSite;

beforeAll(async () => {
  ({ server: fixtureServer, site: fixtures } = await startFixtureSite());
});
afterAll(() => fixtureServer?.close());

/** Runs the checks in a child process and returns its results, or throws with what it printed. */
async function runInChild(runtime: string): Promise<CheckResult[]> {
  const { command, args } = commandLines[runtime]!(JSON.stringify({ fixtures }));
  const child = await runChild(command, args, { cwd: REPO_DIR, env: quietEnv, timeoutMs: childTimeoutMs });
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
    // No nodejs_compat: the library must run on Workers' Web APIs alone.
    compatibilityDate: '2026-04-01',
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

describe.each(['node', 'deno', 'bun', 'workerd'])('under %s', (runtime) => {
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
