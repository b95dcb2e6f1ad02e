import { invalidConfig } from '../core/errors';

/** A window count: the total after adding, and ms until the window that holds it ends. */
export interface WindowCount {
  total: number;
  resetMs: number;
}

/** What `RateLimiter.reserve` answers. */
export interface BudgetReservation {
  /** Whether the amount is now held. */
  admitted: boolean;
  /** The key's count in the window, as `add` would answer it (reservations not included). */
  total: number;
  /** Ms until the oldest part of `total` leaves the window. */
  resetMs: number;
}

/**
 * The counter store behind the rate limit and the token budget. `add` adds `amount` (0 only reads) to
 * `key`'s count in the current window of `windowMs` and returns the total after adding. It is atomic across
 * every process sharing the store, and throws or rejects when the store cannot answer.
 *
 * `reserve` and `release` (optional, both or neither) hold a running request's worst-case token cost
 * against the budget, so parallel requests see each other before any of them is charged. A store without
 * them gets this from the proxy in each process's memory: requests running on other instances then do
 * not see each other's reservations (only what was charged).
 */
export interface RateLimiter {
  add(key: string, amount: number, windowMs: number): WindowCount | Promise<WindowCount>;
  /**
   * Holds `amount` under reservation `id` for `key`, atomically across every process sharing the store,
   * when `total + held + amount <= limit`, or when nothing is held and `total < limit` (one request may
   * still use what is left). `windowMs` is `add`'s window for `key`; a reservation never released lapses
   * after it.
   */
  reserve?(
    key: string,
    id: string,
    amount: number,
    limit: number,
    windowMs: number,
  ): BudgetReservation | Promise<BudgetReservation>;
  /** Drops reservation `id` of `key` (nothing if there is none). */
  release?(key: string, id: string): void | Promise<void>;
}

/** Options of `createMemoryRateLimiter`. */
export interface MemoryRateLimiterOptions {
  /** Most keys held at once; past it the oldest window is forgotten. Default 10,000. */
  maxKeys?: number;
}

// Longer keys are stored as a prefix plus a hash of the whole key, so a caller sending 8 KB identities
// cannot make each one cost 8 KB for the length of a window.
const maxKeyLength = 128;

/**
 * A counter store in this process's memory: fixed windows per key that start at the key's first count
 * in a window (as Redis `INCRBY` + `PEXPIRE` would). Memory is bounded: at most `maxKeys` keys of at most
 * ~150 characters each; when full, the key whose window began first is dropped. Counts are per process:
 * several instances need a shared store such as `createRedisRateLimiter`.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw invalidConfig('createMemoryRateLimiter: maxKeys must be a positive integer.');
  }
  // A Map iterates in insertion order, and a key is re-inserted whenever its window restarts, so the
  // first entry is always the one whose window began first.
  const windows = new Map<string, { total: number; endsAt: number }>();

  return {
    add(rawKey, amount, windowMs) {
      if (!(windowMs > 0) || !(amount >= 0)) {
        throw invalidConfig('RateLimiter.add: windowMs must be positive and amount at least 0.');
      }
      const key = boundedKey(rawKey);
      const now = Date.now();
      let entry = windows.get(key);
      if (entry && entry.endsAt <= now) {
        windows.delete(key);
        entry = undefined;
      }
      if (!entry) {
        // A read of an unknown key stores nothing, so refused or probing callers cost no memory.
        if (amount === 0) return { total: 0, resetMs: windowMs };
        entry = { total: 0, endsAt: now + windowMs };
        windows.set(key, entry);
        evict(now);
      }
      entry.total += amount;
      return { total: entry.total, resetMs: entry.endsAt - now };
    },
  };

  function evict(now: number): void {
    for (const [key, entry] of windows) {
      if (windows.size <= maxKeys && entry.endsAt > now) return;
      windows.delete(key);
    }
  }
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** `key` itself when short, else its first characters and a hash of all of it. */
export function boundedKey(key: string): string {
  if (key.length <= maxKeyLength) return key;
  // A slice of a long string can keep the whole original alive in V8 (a "sliced string"); the round
  // trip through bytes makes the stored prefix a string of its own.
  const prefix = textDecoder.decode(textEncoder.encode(key.slice(0, maxKeyLength - 32)));
  return `${prefix}~${key.length.toString(36)}~${longHash(key)}`;
}

// FNV-1a, twice from different offsets: fast, and not a secret. It only keeps long keys apart; the proxy
// hashes long identities with SHA-256 before they get here.
function longHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 16777619);
    b = Math.imul(b ^ code, 2246822519);
  }
  return `${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}`;
}
