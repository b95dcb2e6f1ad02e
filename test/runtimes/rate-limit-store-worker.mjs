// A Worker that exposes the example's Durable Object rate-limit store over fetch, so the test can call
// it directly, concurrently and across windows: POST `[{ key, amount, windowMs }, …]` (adds), with
// `op: 'reserve'` and `id`, `limit`, or `op: 'release'` and `id`, all at once.
import { createDurableObjectRateLimiter } from '../../examples/server/durable-object-rate-limiter.js';

export { RateLimitCounter } from '../../examples/server/durable-object-rate-limiter.js';

export default {
  /** @param {Request} request @param {{ RATE_LIMITER: DurableObjectNamespace }} env */
  async fetch(request, env) {
    const store = createDurableObjectRateLimiter(env.RATE_LIMITER);
    const calls = await request.json();
    return Response.json(
      await Promise.all(
        calls.map(({ op, key, id, amount, limit, windowMs }) =>
          op === 'reserve'
            ? store.reserve(key, id, amount, limit, windowMs)
            : op === 'release'
              ? store.release(key, id).then(() => ({}))
              : store.add(key, amount, windowMs),
        ),
      ),
    );
  },
};
