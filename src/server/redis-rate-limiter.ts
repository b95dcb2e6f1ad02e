import { invalidConfig } from '../core/errors';
import { boundedKey, type RateLimiter } from './rate-limit';

/**
 * The part of a Redis client the limiter uses, which both common Node clients already are: an
 * `ioredis` client (its `call(command, ...args)`) or a `redis` (node-redis v4 and later) client (its
 * `sendCommand(args, options)`). Anything else works through a two-line object of either shape.
 */
export type RedisCommandClient =
  | { call(command: string, ...args: string[]): Promise<unknown>; status?: string }
  | {
      sendCommand(args: string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>;
      isReady?: boolean;
    };

/** Options of `createRedisRateLimiter`. */
export interface RedisRateLimiterOptions {
  /** A connected `redis` or `ioredis` client (see `RedisCommandClient`). chatwire never connects or closes it. */
  client: RedisCommandClient;
  /** Put before every key, so several apps can share one Redis. Default `'chatwire:'`. */
  prefix?: string;
  /**
   * How long one `add` may wait for Redis before it rejects, in ms (default 500). Clients queue
   * commands while disconnected and would otherwise hold a request until Redis returns.
   */
  timeoutMs?: number;
}

// The window is split into this many slots, so a key holds at most SLOTS + 1 hash fields however
// often it is hit (a log of every hit would grow with an abuser's request rate), and each check
// costs the same small, bounded work inside Redis.
const SLOTS = 20;

// One script per check, so reading the count and adding to it cannot interleave with another
// process doing the same. Time comes from Redis (TIME), not from each caller, so instances with
// skewed clocks agree on the window. A slot is counted until its END plus the window: an amount
// counts for at least windowMs (never less, so no span of windowMs ever admits more than the limit)
// and at most windowMs + windowMs / SLOTS. Budget reservations live in the same hash (one key, so a
// script touches one Redis Cluster slot) as fields `r<id>` = `<amount>:<lapses at ms>`.
const TALLY = `
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local window = tonumber(ARGV[2])
local slot_ms = math.max(1, math.ceil(window / ${SLOTS}))
local slot = math.floor(now / slot_ms)
local fields = redis.call('HGETALL', KEYS[1])
local total = 0
local held = 0
local oldest = nil
for i = 1, #fields, 2 do
  local name = fields[i]
  if string.sub(name, 1, 1) == 'r' then
    local amount, lapses = string.match(fields[i + 1], '^(%d+):(%d+)$')
    if tonumber(lapses) <= now then
      redis.call('HDEL', KEYS[1], name)
    else
      held = held + tonumber(amount)
    end
  else
    local s = tonumber(name)
    if (s + 1) * slot_ms + window <= now then
      redis.call('HDEL', KEYS[1], name)
    else
      total = total + tonumber(fields[i + 1])
      if oldest == nil or s < oldest then oldest = s end
    end
  end
end
`;

// ARGV: amount, windowMs. Returns { total, resetMs }.
const ADD = `${TALLY}
local amount = tonumber(ARGV[1])
if amount > 0 then
  redis.call('HINCRBY', KEYS[1], string.format('%.0f', slot), amount)
  redis.call('PEXPIRE', KEYS[1], (slot + 1) * slot_ms + window - now)
  total = total + amount
  if oldest == nil then oldest = slot end
end
local reset = 0
if oldest ~= nil then reset = (oldest + 1) * slot_ms + window - now end
return { total, reset }
`;

// ARGV: amount, windowMs, limit, id. Returns { admitted (0 or 1), total, resetMs }. A reservation
// lapses after windowMs, which add's expiry (at least windowMs from a later now) never cuts short.
const RESERVE = `${TALLY}
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local reset = 0
if oldest ~= nil then reset = (oldest + 1) * slot_ms + window - now end
if total + held + amount <= limit or (held == 0 and total < limit) then
  redis.call('HSET', KEYS[1], 'r' .. ARGV[4], string.format('%.0f:%.0f', amount, now + window))
  if redis.call('PTTL', KEYS[1]) < window then redis.call('PEXPIRE', KEYS[1], window) end
  return { 1, total, reset }
end
return { 0, total, reset }
`;

/**
 * A `RateLimiter` in Redis, for a proxy running on several instances: pass it as
 * `createOpenAiProxy({ rateLimit: { …, store } })` and every instance counts against the same limits,
 * and sees the token budget reservations of every other instance's running requests.
 *
 * `add`'s `resetMs` is the time until the oldest part of the count leaves the window: the earliest
 * moment the total can fall (0 for a key with no count). Keys longer than 128 characters are stored
 * as a prefix and a hash, as in the in-memory store.
 *
 * Each `add` is one Lua script (EVALSHA, falling back to EVAL after Redis lost its script cache),
 * so it is atomic across processes. The window slides: a key is a hash of twenty time slots, each
 * counted until a full `windowMs` has passed after its end. Use one `windowMs` per key.
 *
 * When the client is not connected, `add` rejects at once; when Redis does not answer within
 * `timeoutMs`, it rejects then (the proxy refuses or admits per its `onStoreError`). A check that
 * timed out after reaching Redis may still be counted there. Once the client has reconnected, checks
 * work again. Attach an `'error'` listener to the client, as its own documentation asks.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { client, prefix = 'chatwire:', timeoutMs = 500 } = options ?? {};
  const send = commandSender(client);
  if (typeof prefix !== 'string') throw invalidConfig('createRedisRateLimiter: prefix must be a string.');
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw invalidConfig('createRedisRateLimiter: timeoutMs must be a positive number of ms.');
  }
  const shas = new Map<string, Promise<string>>();

  const run = async (script: string, key: string, args: string[], signal: AbortSignal) => {
    const sha = shas.get(script) ?? sha1Hex(script);
    shas.set(script, sha);
    try {
      return await send(['EVALSHA', await sha, '1', key, ...args], signal);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return send(['EVAL', script, '1', key, ...args], signal);
    }
  };
  const checkWindow = (windowMs: number) => {
    if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
      throw invalidConfig('Redis rate limiter: windowMs must be a positive number of ms.');
    }
  };
  const checkKey = (key: string) => {
    if (typeof key !== 'string') throw invalidConfig('Redis rate limiter: key must be a string.');
  };
  const numbers = (reply: unknown, length: number): number[] => {
    if (!Array.isArray(reply) || reply.length !== length || reply.some((n) => typeof n !== 'number')) {
      throw new Error('Redis rate limiter: unexpected reply from Redis.');
    }
    return reply;
  };

  return {
    async add(key, amount, windowMs) {
      checkKey(key);
      if (!Number.isSafeInteger(amount) || amount < 0) {
        throw invalidConfig('Redis rate limiter: amount must be a whole number, 0 or more.');
      }
      checkWindow(windowMs);
      const args = [String(amount), String(Math.ceil(windowMs))];
      const reply = await withDeadline(
        (signal) => run(ADD, prefix + boundedKey(key), args, signal),
        timeoutMs,
      );
      const [total, resetMs] = numbers(reply, 2);
      return { total: total!, resetMs: resetMs! };
    },
    async reserve(key, id, amount, limit, windowMs) {
      checkKey(key);
      if (!/^[\w-]{1,64}$/.test(id) || !Number.isSafeInteger(amount) || amount < 1 || !(limit > 0)) {
        throw invalidConfig('Redis rate limiter: reserve needs an id, a positive whole amount and a limit.');
      }
      checkWindow(windowMs);
      const args = [String(amount), String(Math.ceil(windowMs)), String(limit), id];
      const reply = await withDeadline(
        (signal) => run(RESERVE, prefix + boundedKey(key), args, signal),
        timeoutMs,
      );
      const [admitted, total, resetMs] = numbers(reply, 3);
      return { admitted: admitted === 1, total: total!, resetMs: resetMs! };
    },
    async release(key, id) {
      checkKey(key);
      await withDeadline((signal) => send(['HDEL', prefix + boundedKey(key), `r${id}`], signal), timeoutMs);
    },
  };
}

/** One way to send a command, whichever client was given. */
function commandSender(
  client: RedisCommandClient,
): (args: string[], signal: AbortSignal) => Promise<unknown> {
  // ioredis has both methods; its `sendCommand` takes a Command object, so `call` is checked first.
  // While a client is reconnecting it would queue the command and send it once Redis is back:
  // refusing at once answers the request now and keeps a check that was already given up on from
  // being counted later. (`status` is ioredis's, `isReady` node-redis's; an adapter may have neither.)
  if (client && 'call' in client && typeof client.call === 'function') {
    return async ([command, ...args]) => {
      if (client.status !== undefined && client.status !== 'ready') {
        throw new Error(`the client is not connected (${client.status}).`);
      }
      return client.call(command!, ...args);
    };
  }
  if (client && 'sendCommand' in client && typeof client.sendCommand === 'function') {
    return async (args, signal) => {
      if (client.isReady === false) throw new Error('the client is not connected.');
      // node-redis drops a command still waiting to be written when this signal aborts.
      return client.sendCommand(args, { abortSignal: signal });
    };
  }
  throw invalidConfig(
    'createRedisRateLimiter: client must be a redis (node-redis) or ioredis client, or have call() or sendCommand().',
  );
}

/** Runs `work`, rejecting after `ms` if it has not settled, and aborting the signal it was given. */
function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`Redis rate limiter: no answer from Redis within ${ms} ms.`));
    }, ms);
    work(controller.signal).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(new Error(`Redis rate limiter: ${(error as Error)?.message ?? error}`, { cause: error }));
      },
    );
  });
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
