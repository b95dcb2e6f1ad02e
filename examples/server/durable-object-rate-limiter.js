// A rate-limit store every instance of a Worker shares: one Durable Object per client key holds that
// key's count. Cloudflare runs each Durable Object in one place and delivers it one event at a time
// while its storage calls are in flight (input gates), so read, add and write happen as one step —
// the atomicity the proxy's `RateLimiter` store needs, with no locks or scripts.
import { DurableObject } from 'cloudflare:workers';

/**
 * The shared store for `createOpenAiProxy({ rateLimit: { windowMs, max, store } })`: the proxy's
 * `RateLimiter` interface, backed by the `RateLimitCounter` Durable Object namespace (bound as
 * `RATE_LIMITER` in wrangler.toml).
 * @param {DurableObjectNamespace<RateLimitCounter>} namespace
 */
export function createDurableObjectRateLimiter(namespace) {
  return {
    /**
     * Adds `amount` (0 only reads) to `key`'s count in the current window.
     * @param {string} key @param {number} amount @param {number} windowMs
     * @returns {Promise<{ total: number, resetMs: number }>}
     */
    add(key, amount, windowMs) {
      return counter(key).add(amount, windowMs);
    },
    /**
     * Holds a running request's worst-case tokens against `key`'s budget (see the proxy's `RateLimiter`).
     * @param {string} key @param {string} id @param {number} amount @param {number} limit @param {number} windowMs
     */
    reserve(key, id, amount, limit, windowMs) {
      return counter(key).reserve(id, amount, limit, windowMs);
    },
    /** Drops reservation `id` of `key`. @param {string} key @param {string} id */
    release(key, id) {
      return counter(key).release(id);
    },
  };
  // idFromName hashes the key, so a client-chosen key of any length costs one fixed-size id.
  function counter(key) {
    return namespace.get(namespace.idFromName(key));
  }
}

/**
 * One client key's counts. A window starts at the key's first count and lasts `windowMs` (as the
 * in-memory and Redis stores count), kept in the object's storage so it outlives the object's eviction.
 */
export class RateLimitCounter extends DurableObject {
  /**
   * @param {number} amount @param {number} windowMs
   * @returns {Promise<{ total: number, resetMs: number }>}
   */
  async add(amount, windowMs) {
    const now = Date.now();
    // The same key may be counted over more than one window length (requests per minute, tokens per day).
    const name = `window:${windowMs}`;
    const stored = await this.ctx.storage.get(name);
    const current = stored && stored.endsAt > now ? stored : { total: 0, endsAt: now + windowMs };
    // A read stores nothing, so probing an unknown key costs no storage.
    if (amount === 0) return { total: current.total, resetMs: current.endsAt - now };
    const total = current.total + amount;
    await this.ctx.storage.put(name, { total, endsAt: current.endsAt });
    await this.cleanUpAt(current.endsAt);
    return { total, resetMs: current.endsAt - now };
  }

  /**
   * Holds `amount` under `id` when the window's total, what is already held and `amount` fit in `limit`,
   * or when nothing is held and the total is under `limit`. A reservation never released lapses after
   * `windowMs`.
   * @param {string} id @param {number} amount @param {number} limit @param {number} windowMs
   * @returns {Promise<{ admitted: boolean, total: number, resetMs: number }>}
   */
  async reserve(id, amount, limit, windowMs) {
    const now = Date.now();
    const { total, resetMs } = await this.add(0, windowMs);
    let held = 0;
    for (const [name, hold] of await this.ctx.storage.list({ prefix: 'held:' })) {
      if (hold.endsAt <= now) await this.ctx.storage.delete(name);
      else held += hold.amount;
    }
    const admitted = total + held + amount <= limit || (held === 0 && total < limit);
    if (admitted) {
      await this.ctx.storage.put(`held:${id}`, { amount, endsAt: now + windowMs });
      await this.cleanUpAt(now + windowMs);
    }
    return { admitted, total, resetMs };
  }

  /** @param {string} id */
  async release(id) {
    await this.ctx.storage.delete(`held:${id}`);
  }

  /** Arms the clean-up, so a client seen once does not keep storage forever. @param {number} at */
  async cleanUpAt(at) {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(at);
  }

  /** Deletes the windows and reservations that have ended; one still open re-arms the alarm. */
  async alarm() {
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [name, entry] of await this.ctx.storage.list()) {
      if (entry.endsAt <= now) await this.ctx.storage.delete(name);
      else next = Math.min(next, entry.endsAt);
    }
    if (next !== Number.POSITIVE_INFINITY) await this.ctx.storage.setAlarm(next);
  }
}
