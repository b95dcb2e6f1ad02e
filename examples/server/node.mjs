// The chat proxy on plain node:http. Run: `OPENAI_API_KEY=sk-… node examples/server/node.mjs`
// (without a key it answers from the offline demo model). Browsers then use
// createChatAdapter().withUrl('http://localhost:3000/api/chat') from a page on an allowed origin.
import http from 'node:http';
import { createOfflineModel, createOpenAiProxy, toNodeHandler } from 'chatwire/server';

const apiKey = process.env.OPENAI_API_KEY;
const proxy = toNodeHandler(
  createOpenAiProxy({
    apiKey,
    // No key: a built-in model that streams a demo reply, so this runs with no account and no network.
    upstream: apiKey ? 'https://api.openai.com/v1' : createOfflineModel(),
    allowedModels: ['gpt-4o-mini'],
    maxCompletionTokens: 1024,
    // Pages served from another origin (a dev server on :5173 here) must be listed; same-origin pages need nothing.
    allowedOrigins: ['http://localhost:5173'],
    rateLimit: { windowMs: 60_000, max: 30 },
  }),
);

const port = Number(process.env.PORT ?? 3000);
const upstreamName = apiKey ? 'OpenAI' : 'offline demo model';
http
  .createServer((req, res) => {
    if (req.url?.split('?')[0] === '/api/chat') return proxy(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  })
  .listen(port, '127.0.0.1', () => {
    console.log(`proxy on http://127.0.0.1:${port}/api/chat (${upstreamName})`);
  });
