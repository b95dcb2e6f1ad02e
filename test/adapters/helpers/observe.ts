// Runs `streamText` and records every observer call, so tests can check the order and count of calls.
import { afterAll, expect } from 'vitest';
import type { ChatError } from '../../../src/core/errors';
import type { ChatAdapterExtras, ChatResult, StandardChatAdapter } from '../../../src/core/types';

export const FAKE_KEY = 'sk-test-fake0123456789wxyz';

export interface Observed {
  deltas: string[];
  result?: ChatResult;
  error?: ChatError;
  /** Every call in order: 'next' | 'complete' | 'error'. */
  calls: string[];
}

/**
 * Streams `message` and resolves after the first terminal call, plus a short grace period in which
 * a second terminal call or a late `next` would be recorded.
 */
export function observe(
  adapter: StandardChatAdapter,
  message = 'Hello',
  extras?: ChatAdapterExtras,
  onNext?: (delta: string) => void,
): Promise<Observed> {
  const observed: Observed = { deltas: [], calls: [] };
  return new Promise((resolve) => {
    const settle = () => setTimeout(() => resolve(observed), 30);
    adapter.streamText(
      message,
      {
        next(delta) {
          observed.calls.push('next');
          observed.deltas.push(delta);
          onNext?.(delta);
        },
        complete(result) {
          observed.calls.push('complete');
          observed.result = result;
          settle();
        },
        error(error) {
          observed.calls.push('error');
          observed.error = error;
          settle();
        },
      },
      extras,
    );
  });
}

/** Exactly one terminal call, and it came last. */
export function expectOneTerminal(observed: Observed): void {
  const terminals = observed.calls.filter((call) => call !== 'next');
  expect(terminals).toHaveLength(1);
  expect(observed.calls.at(-1)).toBe(terminals[0]);
}

/** Fails the file if any promise rejection went unhandled while it ran. */
export function failOnUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  afterAll(async () => {
    // Let pending microtasks and timers of the last test run out first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', listener);
    expect(seen).toEqual([]);
  });
}
