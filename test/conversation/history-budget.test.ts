// Issue 9, "long conversations break": the whole history went with every message and the proxy caps
// bodies at 64 KiB, so after a few 8 KB replies every send failed with 413. The history now stays within
// a byte budget (newest first, system messages always). Reproduced against the real proxy and the
// offline model on 127.0.0.1: without the budget the sends fail with 413; with the default they all work.
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { createChatAdapter } from '../../src/adapters';
import { type Conversation, createConversation } from '../../src/chat/conversation';
import {
  DEFAULT_MAX_HISTORY_BYTES,
  itemBytes,
  selectHistory,
  utf8Length,
} from '../../src/chat/conversation/history';
import type { ChatItem } from '../../src/core/types';
import { createOfflineModel, createOpenAiProxy } from '../../src/server/index';
import { manualAdapter } from '../chat/helpers';
import { type Served, serveHandler } from '../server/loopback';

describe('utf8Length', () => {
  test.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀b', 6],
    ['\ud800', 3],
    ['\ud800x', 4],
  ])('%j is %i bytes, as TextEncoder says', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });
});

describe('selectHistory', () => {
  const u = (message: string): ChatItem => ({ role: 'user', message });
  const a = (message: string): ChatItem => ({ role: 'assistant', message });
  const sys: ChatItem = { role: 'system', message: 'Be kind.' };
  const kb = (n: number, fill = 'x') => fill.repeat(n * 1024);

  test('keeps the newest messages that fit, contiguous, with the system message always', () => {
    const past = [sys, u(kb(4, 'a')), a(kb(4, 'b')), u(kb(4, 'c')), a(kb(4, 'd'))];
    const kept = selectHistory(past, 'next', 'max', 10 * 1024);
    expect(kept).toEqual([sys, u(kb(4, 'c')), a(kb(4, 'd'))]);
    // The system message's cost comes out of the budget too: with less room, fewer turns.
    const total = kept.reduce((n, item) => n + itemBytes(item), itemBytes(u('next')));
    expect(total).toBeLessThanOrEqual(10 * 1024);
  });

  test('an old small message is not sent once a newer one did not fit (no gaps)', () => {
    const past = [u('tiny'), a(kb(20)), u('q')];
    expect(selectHistory(past, 'next', 'max', 8 * 1024)).toEqual([u('q')]);
  });

  test('counts JSON escaping: quotes and newlines cost two bytes each', () => {
    const quoted = a('"\n'.repeat(1000));
    expect(itemBytes(quoted)).toBeGreaterThan(4000);
    expect(selectHistory([quoted], 'q', 'max', 3000)).toEqual([]);
  });

  test('the message being sent counts: a big one leaves less room for history', () => {
    const past = [u(kb(2)), a(kb(2))];
    expect(selectHistory(past, 'small', 'max', 6 * 1024)).toHaveLength(2);
    expect(selectHistory(past, kb(3), 'max', 6 * 1024)).toEqual([a(kb(2))]);
    expect(selectHistory(past, kb(5), 'max', 6 * 1024)).toEqual([]);
  });

  test('historyPayloadSize counts non-system messages; the tighter limit wins', () => {
    const past = [sys, u('1'), a('2'), u('3'), a('4')];
    expect(selectHistory(past, 'q', 2, Number.POSITIVE_INFINITY)).toEqual([sys, u('3'), a('4')]);
    expect(selectHistory(past, 'q', 0, Number.POSITIVE_INFINITY)).toEqual([sys]);
    expect(selectHistory(past, 'q', 'max', Number.POSITIVE_INFINITY)).toEqual(past);
  });
});

describe('the conversation applies the budget', () => {
  test('by default 48 KiB: old turns are left out of a long conversation', () => {
    expect(DEFAULT_MAX_HISTORY_BYTES).toBe(48 * 1024);
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter, {
      initialMessages: [{ role: 'system', message: 'You are terse.' }],
    });
    for (let i = 0; i < 10; i++) {
      conversation.send(`question ${i}`);
      calls.at(-1)!.observer.next(String(i).repeat(8 * 1024));
      calls.at(-1)!.observer.complete();
    }
    const history = calls.at(-1)!.extras.conversationHistory!;
    expect(history[0]).toEqual({ role: 'system', message: 'You are terse.' });
    expect(history.at(-1)).toEqual({ role: 'assistant', message: '8'.repeat(8 * 1024) });
    const bytes = history.reduce((n, item) => n + utf8Length(JSON.stringify(item)), 0);
    expect(bytes).toBeLessThanOrEqual(48 * 1024);
    expect(bytes).toBeGreaterThan(40 * 1024);
  });

  test('maxHistoryBytes changes it; historyPayloadSize still applies', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter, { maxHistoryBytes: 1024, historyPayloadSize: 1 });
    conversation.send('a');
    calls[0]!.observer.next('x'.repeat(2000));
    calls[0]!.observer.complete();
    conversation.send('b');
    expect(calls[1]!.extras.conversationHistory).toEqual([]);
    const counted = createConversation(manualAdapter().adapter, { historyPayloadSize: 1 });
    expect(counted.messages).toEqual([]);
  });
});

describe('against the real proxy (64 KiB body limit) and the offline model', () => {
  let proxy: Served;
  beforeAll(async () => {
    proxy = await serveHandler(
      createOpenAiProxy({ upstream: createOfflineModel({ delayMs: 0 }), allowedModels: ['gpt-4o-mini'] }),
    );
  });
  afterAll(() => proxy.close());

  /** Eight turns, each an 8 KB message echoed back as an 8 KB reply; the final status of each reply. */
  async function longConversation(maxHistoryBytes?: number): Promise<string[]> {
    // Chat Completions: the body shape this proxy forwards (the budget is the same for both APIs).
    const adapter = createChatAdapter()
      .withUrl(proxy.url)
      .withApi('chat-completions')
      .withMaxRetries(0)
      .create();
    const conversation = createConversation(
      adapter,
      maxHistoryBytes === undefined ? {} : { maxHistoryBytes },
    );
    const statuses: string[] = [];
    for (let turn = 0; turn < 8; turn++) {
      await ask(conversation, `/echo ${String(turn).repeat(8 * 1024)}`);
      const reply = conversation.messages.at(-1)!;
      statuses.push(reply.status === 'failed' ? `failed ${reply.error!.status}` : reply.status);
    }
    return statuses;
  }

  const ask = (conversation: Conversation, text: string) =>
    new Promise<void>((resolve) => {
      const stop = conversation.subscribe((change) => {
        if (change.type === 'busy' && !change.busy) {
          stop();
          resolve();
        }
      });
      conversation.send(text);
    });

  it('without a byte budget (the old behaviour), the sends start failing with 413', async () => {
    const statuses = await longConversation(Number.POSITIVE_INFINITY);
    expect(statuses.slice(0, 3)).toEqual(['complete', 'complete', 'complete']);
    expect(statuses.slice(4)).toEqual(['failed 413', 'failed 413', 'failed 413', 'failed 413']);
  }, 30_000);

  it('with the default budget, every send works', async () => {
    expect(await longConversation()).toEqual(Array(8).fill('complete'));
  }, 30_000);
});
