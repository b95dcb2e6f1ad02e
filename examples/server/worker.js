// The same proxy as a Cloudflare Worker: the handler is `Request → Response`, so it is exported as is.
// Deploy with `wrangler deploy` (see wrangler.toml) after `wrangler secret put OPENAI_API_KEY`; without a
// key it answers from the offline demo model, so `wrangler dev` runs with no account. The rate limit is
// counted in a Durable Object (durable-object-rate-limiter.js), so every instance of the Worker, in
// every location, shares one count per client.
import { createOfflineModel, createOpenAiProxy } from 'chatwire/server';
import { createDurableObjectRateLimiter } from './durable-object-rate-limiter.js';

// Workers find Durable Object classes among the main module's exports.
export { RateLimitCounter } from './durable-object-rate-limiter.js';

let proxy;

export default {
  /**
   * @param {Request} request
   * @param {{ OPENAI_API_KEY?: string, RATE_LIMIT_PER_MINUTE?: string, RATE_LIMITER: DurableObjectNamespace }} env
   */
  fetch(request, env) {
    // Secrets and bindings arrive with the first request (`env`), so the handler is built then and reused.
    proxy ??= createOpenAiProxy({
      apiKey: env.OPENAI_API_KEY,
      upstream: env.OPENAI_API_KEY ? 'https://api.openai.com/v1' : createOfflineModel(),
      allowedModels: ['gpt-4o-mini'],
      maxCompletionTokens: 1024,
      allowedOrigins: ['https://example.com'],
      // Requests for other host names (DNS rebinding) are refused; list the Worker's own.
      allowedHosts: ['api.example.com'],
      // Cloudflare sets cf-connecting-ip itself and a client cannot forge it, so it names the client.
      trustProxy: 'cloudflare',
      rateLimit: {
        windowMs: 60_000,
        max: Number(env.RATE_LIMIT_PER_MINUTE ?? 30),
        store: createDurableObjectRateLimiter(env.RATE_LIMITER),
      },
    });
    // `/api/chat` for chatwire's own adapters; `/api/v1/…` makes the Worker an OpenAI-compatible base
    // URL (`/api/v1/chat/completions`, `/api/v1/responses`) for any OpenAI client.
    const { pathname } = new URL(request.url);
    if (pathname !== '/api/chat' && !pathname.startsWith('/api/v1/')) {
      return new Response('Not found', { status: 404 });
    }
    return proxy(request);
  },
};
