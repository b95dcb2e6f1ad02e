// The proxy's type fits where each runtime puts a handler, as written in the README: Deno.serve and
// Bun.serve pass their connection details second, a Worker its env, a Next.js route its context. These
// declarations mirror those runtimes' own types; `tsc` fails this file if the handler stops fitting.
import { expect, it } from 'vitest';
import { createOfflineModel, createOpenAiProxy } from '../../src/server/index';
import { fakeKey } from './loopback';

interface DenoServeHandlerInfo {
  remoteAddr: { transport: 'tcp'; hostname: string; port: number };
  completed: Promise<void>;
}
interface BunServer {
  requestIP(request: Request): { address: string; port: number; family: 'IPv4' | 'IPv6' } | null;
  port: number;
}
type DenoHandler = (request: Request, info: DenoServeHandlerInfo) => Response | Promise<Response>;
type BunFetch = (request: Request, server: BunServer) => Response | Promise<Response>;
type NextRouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;
type WorkerFetch = (
  request: Request,
  env: { OPENAI_API_KEY: string },
  ctx: { waitUntil(p: Promise<unknown>): void },
) => Promise<Response>;

const proxy = createOpenAiProxy({
  apiKey: fakeKey,
  upstream: createOfflineModel({ delayMs: 0 }),
  allowedModels: ['gpt-4o-mini'],
  rateLimit: { windowMs: 60_000, max: 1 },
});
const asDeno: DenoHandler = proxy;
const asBun: BunFetch = proxy;
const asNext: NextRouteHandler = proxy;
const asWorker: WorkerFetch = proxy;

const post = () =>
  new Request('http://localhost/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '/echo hi' }] }),
  });

it('reads the client address from Deno’s info and Bun’s server, and none from a Next.js context', async () => {
  const deno = {
    remoteAddr: { transport: 'tcp' as const, hostname: '192.0.2.10', port: 1 },
    completed: Promise.resolve(),
  };
  expect((await asDeno(post(), deno)).status).toBe(200);
  expect((await asDeno(post(), deno)).status).toBe(429);
  const bun = { requestIP: () => ({ address: '192.0.2.11', port: 1, family: 'IPv4' as const }), port: 1 };
  expect((await asBun(post(), bun)).status).toBe(200);
  expect((await asBun(post(), bun)).status).toBe(429);
  // No address in a route context or a Worker's env: with limits set, the proxy says it cannot tell clients apart.
  const next = await asNext(post(), { params: Promise.resolve({}) });
  expect((await next.json()).error.code).toBe('client_unidentified');
  const worker = await asWorker(post(), { OPENAI_API_KEY: fakeKey }, { waitUntil() {} });
  expect(worker.status).toBe(500);
});
