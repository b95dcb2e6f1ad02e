// The in-memory counter store: fixed windows per key, reads that store nothing, long keys bounded, and a
// cap on how many keys it holds however many clients call.
import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../src/server/index';
import { collectGarbage } from './loopback';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createMemoryRateLimiter().add', () => {
  it('adds within a window, says when it ends, and starts over after it', async () => {
    const store = createMemoryRateLimiter();
    const first = await store.add('a', 1, 60);
    expect(first.total).toBe(1);
    expect(first.resetMs).toBeGreaterThan(40);
    expect(first.resetMs).toBeLessThanOrEqual(60);
    expect((await store.add('a', 5, 60)).total).toBe(6);
    expect((await store.add('b', 1, 60)).total).toBe(1);
    await sleep(first.resetMs + 5);
    expect((await store.add('a', 1, 60)).total).toBe(1);
  });

  it('reads with amount 0, without creating a key', async () => {
    const store = createMemoryRateLimiter({ maxKeys: 1 });
    expect(await store.add('kept', 3, 60_000)).toMatchObject({ total: 3 });
    expect(await store.add('never-counted', 0, 60_000)).toEqual({ total: 0, resetMs: 60_000 });
    // Had the read stored a key, the cap of one would have evicted 'kept'.
    expect((await store.add('kept', 0, 60_000)).total).toBe(3);
  });

  it('keeps long keys apart while storing only a bounded form of them', async () => {
    const store = createMemoryRateLimiter();
    const base = 'x'.repeat(8 * 1024);
    expect((await store.add(`${base}1`, 1, 60_000)).total).toBe(1);
    expect((await store.add(`${base}2`, 1, 60_000)).total).toBe(1);
    expect((await store.add(`${base}1`, 1, 60_000)).total).toBe(2);
  });

  it('holds at most maxKeys keys, forgetting the oldest window first', async () => {
    const store = createMemoryRateLimiter({ maxKeys: 2 });
    await store.add('one', 1, 60_000);
    await store.add('two', 1, 60_000);
    await store.add('three', 1, 60_000);
    expect((await store.add('one', 0, 60_000)).total).toBe(0);
    expect((await store.add('two', 0, 60_000)).total).toBe(1);
    expect((await store.add('three', 0, 60_000)).total).toBe(1);
  });

  it('stays small under 5,000 distinct 8 KB keys', async () => {
    const store = createMemoryRateLimiter({ maxKeys: 1000 });
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 5000; i++) await store.add(`${i}:${'k'.repeat(8 * 1024)}`, 1, 60_000);
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    // 5,000 × 8 KB would be 40 MB; a thousand bounded keys are a few hundred KB.
    expect(grown).toBeLessThan(4 * 1024 * 1024);
  });

  it('refuses bad options and arguments with invalid-config', () => {
    expect(() => createMemoryRateLimiter({ maxKeys: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    const store = createMemoryRateLimiter();
    expect(() => store.add('a', -1, 1000)).toThrow(expect.objectContaining({ code: 'invalid-config' }));
    expect(() => store.add('a', 1, 0)).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});
