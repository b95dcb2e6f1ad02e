// The chat proxy on plain node:http. Run: `OPENAI_API_KEY=sk-… node examples/server/node.mjs`
// (without a key it answers from the offline demo model). Browsers then use
// createChatAdapter().withUrl('http://localhost:3000/api/chat') from a page on an allowed origin, and the
// openai npm client can use http://localhost:3000/api/v1 as its baseURL.
import http from 'node:http';
import { createOfflineModel, createOpenAiProxy, toNodeHandler } from 'chatwire/server';

const apiKey = process.env.OPENAI_API_KEY;
const proxy = toNodeHandler(
  createOpenAiProxy({
    apiKey,
    // No key: a built-in model that streams a demo reply, so this runs with no account and no network.
    upstream: apiKey ? 'https://api.openai.com/v1' : createOfflineModel(),
    // Required: the only models a visitor can spend your key on.
    allowedModels: ['gpt-4o-mini'],
    maxCompletionTokens: 1024,
    // The server decides the system prompt; pages' own system messages are refused.
    systemMessage: 'You are a helpful assistant. Answer briefly.',
    // Pages served from another origin (a dev server on :5173 here) must be listed; same-origin pages need nothing.
    allowedOrigins: ['http://localhost:5173'],
    // Only requests addressed to these names are answered (a defence against DNS rebinding).
    allowedHosts: ['localhost', '127.0.0.1'],
    // Per client, counted by the connection's address (toNodeHandler passes it). Behind a reverse
    // proxy of yours, add `trustProxy: 1`; to count signed-in users, `identify: (request) => userId`.
    rateLimit: { windowMs: 60_000, max: 30 },
    budget: { tokens: 100_000, windowMs: 24 * 60 * 60_000 },
    onUsage: ({ clientId, model, usage, outcome }) =>
      console.log(`${clientId} ${model ?? '-'} ${outcome} ${usage ? `${usage.totalTokens} tokens` : ''}`),
  }),
);

const port = Number(process.env.PORT ?? 3000);
const upstreamName = apiKey ? 'OpenAI' : 'offline demo model';
http
  .createServer((req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    if (path === '/api/chat' || path.startsWith('/api/v1/')) return proxy(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  })
  .listen(port, '127.0.0.1', () => {
    console.log(`proxy on http://127.0.0.1:${port}/api/chat (${upstreamName})`);
  });
