// The same proxy as a Cloudflare Worker: the handler is `Request → Response`, so it is exported as is.
// Deploy with `wrangler deploy` after `wrangler secret put OPENAI_API_KEY`. The in-memory rate limiter
// counts per isolate; for one limit across the whole deployment, implement `RateLimiter` on a Durable
// Object or KV and pass it as `rateLimit`.
import { createOpenAiProxy } from 'chatwire/server';

let proxy;

export default {
  /** @param {Request} request @param {{ OPENAI_API_KEY: string }} env */
  fetch(request, env) {
    // Secrets arrive with the first request (`env`), so the handler is built then and reused.
    proxy ??= createOpenAiProxy({
      apiKey: env.OPENAI_API_KEY,
      allowedModels: ['gpt-4o-mini'],
      maxCompletionTokens: 1024,
      allowedOrigins: ['https://example.com'],
      rateLimit: { windowMs: 60_000, max: 30 },
      // Cloudflare sets cf-connecting-ip itself, which is also the default client key.
    });
    const { pathname } = new URL(request.url);
    if (pathname !== '/api/chat') return new Response('Not found', { status: 404 });
    return proxy(request);
  },
};
