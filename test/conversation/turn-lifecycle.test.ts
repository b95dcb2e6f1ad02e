// The conversation model on its own (no DOM): send, stop, retry, regenerate, edit, clear, and the
// changes a subscriber hears for each, with adapters that misbehave every way request.ts guarded against.
import { describe, expect, test, vi } from 'vitest';
import { createConversation } from '../../src/chat/conversation';
import { ChatError } from '../../src/core/errors';
import type { ChatAdapter } from '../../src/core/types';
import { failingAdapter, manualAdapter, settle, streamingAdapter } from '../chat/helpers';
import { record, shape } from './helpers';

describe('send', () => {
  test('adds the user message and a streaming reply, then completes it with its result', async () => {
    const adapter = streamingAdapter(['Hel', 'lo']);
    const conversation = createConversation(adapter);
    const seen = record(conversation);
    conversation.send('Hi');
    expect(conversation.busy).toBe(true);
    expect(shape(conversation)).toEqual(['user:complete:Hi', 'assistant:streaming:']);
    await settle();
    expect(conversation.busy).toBe(false);
    expect(shape(conversation)).toEqual(['user:complete:Hi', 'assistant:complete:Hello']);
    expect(seen.types()).toEqual(['added', 'added', 'busy', 'delta', 'delta', 'completed', 'busy']);
    const reply = conversation.messages[1]!;
    expect(reply.result).toEqual({ text: 'Hello', finishReason: 'stop', model: 'test-model' });
    const deltas = seen.changes.filter((c) => c.type === 'delta');
    expect(deltas.map((c) => c.type === 'delta' && [c.delta, c.message.text])).toEqual([
      ['Hel', 'Hel'],
      ['lo', 'Hello'],
    ]);
    expect(adapter.calls[0]!.message).toBe('Hi');
  });

  test('messages keep their ids through every change and are frozen values', async () => {
    const conversation = createConversation(streamingAdapter(['a', 'b']));
    conversation.send('q');
    const before = conversation.messages;
    const replyId = before[1]!.id;
    await settle();
    expect(conversation.messages[1]!.id).toBe(replyId);
    expect(conversation.messages).not.toBe(before);
    expect(Object.isFrozen(conversation.messages)).toBe(true);
    expect(Object.isFrozen(conversation.messages[1])).toBe(true);
    expect(new Set(conversation.messages.map((m) => m.id)).size).toBe(2);
  });

  test('sends the finished history, never the failed reply or the message being sent', async () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter, {
      initialMessages: [
        { role: 'system', message: 'Be brief.' },
        { role: 'user', message: 'u1' },
        { role: 'assistant', message: 'a1' },
      ],
    });
    conversation.send('u2');
    calls[0]!.observer.error(new ChatError('server-error', 'boom'));
    conversation.send('u3');
    expect(calls[1]!.extras.conversationHistory).toEqual([
      { role: 'system', message: 'Be brief.' },
      { role: 'user', message: 'u1' },
      { role: 'assistant', message: 'a1' },
      { role: 'user', message: 'u2' },
    ]);
    expect(calls[1]!.message).toBe('u3');
  });

  test('sending while a reply streams stops it first, keeping its text', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    conversation.send('one');
    calls[0]!.observer.next('partial');
    conversation.send('two');
    expect(calls[0]!.extras.signal!.aborted).toBe(true);
    expect(shape(conversation)).toEqual([
      'user:complete:one',
      'assistant:stopped:partial',
      'user:complete:two',
      'assistant:streaming:',
    ]);
  });

  test('refuses empty text with invalid-config', () => {
    const conversation = createConversation(streamingAdapter(['x']));
    for (const text of ['', '   ', 3, undefined]) {
      expect(() => conversation.send(text as string)).toThrow(
        expect.objectContaining({ code: 'invalid-config' }),
      );
    }
    expect(conversation.messages).toEqual([]);
  });

  test('a batch adapter gives one delta and a complete reply', async () => {
    const adapter: ChatAdapter = { batchText: async (message) => `echo: ${message}` };
    const conversation = createConversation(adapter);
    const seen = record(conversation);
    conversation.send('ping');
    await settle();
    expect(shape(conversation)).toEqual(['user:complete:ping', 'assistant:complete:echo: ping']);
    expect(conversation.messages[1]!.result).toEqual({ text: 'echo: ping', finishReason: null });
    expect(seen.types()).toEqual(['added', 'added', 'busy', 'delta', 'completed', 'busy']);
  });

  test('reasoning deltas build the reply’s reasoning beside its text', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    const seen = record(conversation);
    conversation.send('why?');
    const observer = calls[0]!.observer as (typeof calls)[0]['observer'] & { reasoning(delta: string): void };
    observer.reasoning('Think');
    observer.reasoning('ing.');
    observer.next('Because.');
    observer.complete({ text: 'Because.', finishReason: 'stop' });
    const reply = conversation.messages[1]!;
    expect(reply.reasoning).toBe('Thinking.');
    expect(reply.text).toBe('Because.');
    expect(seen.types().filter((t) => t === 'reasoning-delta')).toHaveLength(2);
  });

  test('a result that carries reasoning (and no reasoning deltas) keeps it', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    conversation.send('why?');
    calls[0]!.observer.complete({ text: '', finishReason: 'stop', reasoning: 'Summary.' } as never);
    expect(conversation.messages[1]!.reasoning).toBe('Summary.');
  });
});

describe('an adapter that misbehaves still ends the turn exactly once', () => {
  const cases: [string, ChatAdapter, string][] = [
    [
      'streamText throws',
      {
        streamText() {
          throw new Error('kaput');
        },
      },
      'invalid-response',
    ],
    [
      'async streamText rejects',
      {
        async streamText() {
          throw new ChatError('timeout', 'slow');
        },
      },
      'timeout',
    ],
    ['batchText rejects with a string', { batchText: () => Promise.reject('nope') }, 'invalid-response'],
    [
      'a ChatError from another copy of chatwire keeps its code',
      {
        batchText: () =>
          Promise.reject(Object.assign(new Error('x'), { code: 'rate-limited', retryable: true })),
      },
      'rate-limited',
    ],
  ];
  test.each(cases)('%s', async (_name, adapter, code) => {
    const conversation = createConversation(adapter);
    const seen = record(conversation);
    conversation.send('q');
    await settle();
    expect(conversation.busy).toBe(false);
    expect(conversation.messages[1]!.status).toBe('failed');
    expect(conversation.messages[1]!.error!.code).toBe(code);
    expect(seen.types().filter((t) => t === 'failed')).toHaveLength(1);
  });

  test('complete twice, error after complete, deltas after the end: all ignored', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    const seen = record(conversation);
    conversation.send('q');
    const { observer } = calls[0]!;
    observer.next('ok');
    observer.complete({ text: 'ok', finishReason: 'stop' });
    observer.complete({ text: 'again', finishReason: 'stop' });
    observer.error(new ChatError('server-error', 'late'));
    observer.next(' more');
    observer.next(42 as never);
    expect(shape(conversation)).toEqual(['user:complete:q', 'assistant:complete:ok']);
    expect(seen.types().filter((t) => t === 'completed' || t === 'failed')).toEqual(['completed']);
  });

  test('an adapter with neither method is refused at creation', () => {
    expect(() => createConversation({} as ChatAdapter)).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  });

  test('a builder is accepted in place of its adapter', async () => {
    const built = streamingAdapter(['from builder']);
    const conversation = createConversation({ create: () => built as never });
    conversation.send('q');
    await settle();
    expect(conversation.messages[1]!.text).toBe('from builder');
  });
});

describe('a listener that throws', () => {
  test('is reported to the console and never wedges the model', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const conversation = createConversation(streamingAdapter(['a']));
    conversation.subscribe(() => {
      throw new Error('listener bug');
    });
    const seen = record(conversation);
    conversation.send('one');
    await settle();
    expect(conversation.busy).toBe(false);
    expect(seen.types()).toContain('completed');
    conversation.send('two');
    await settle();
    expect(shape(conversation).at(-1)).toBe('assistant:complete:a');
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  test('a listener may call back into the conversation while a change is delivered', async () => {
    const conversation = createConversation(streamingAdapter(['a']));
    let sent = false;
    conversation.subscribe((change) => {
      if (change.type === 'completed' && !sent) {
        sent = true;
        expect(conversation.busy).toBe(false);
        conversation.send('follow-up');
      }
    });
    conversation.send('first');
    await settle();
    await settle();
    expect(shape(conversation)).toEqual([
      'user:complete:first',
      'assistant:complete:a',
      'user:complete:follow-up',
      'assistant:complete:a',
    ]);
  });

  test('unsubscribe stops the changes', () => {
    const conversation = createConversation(manualAdapter().adapter);
    const listener = vi.fn();
    const unsubscribe = conversation.subscribe(listener);
    unsubscribe();
    conversation.send('q');
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('stop', () => {
  test('keeps the partial as stopped, with a null finishReason, and aborts the request', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    const seen = record(conversation);
    conversation.send('q');
    calls[0]!.observer.next('half');
    conversation.stop();
    expect(calls[0]!.extras.signal!.aborted).toBe(true);
    expect(conversation.busy).toBe(false);
    expect(conversation.messages[1]).toMatchObject({
      status: 'stopped',
      text: 'half',
      result: { text: 'half', finishReason: null },
    });
    // The adapter reports its abort after the fact: nothing changes.
    calls[0]!.observer.error(new ChatError('aborted', 'Aborted'));
    expect(seen.types().slice(-2)).toEqual(['completed', 'busy']);
  });

  test('a reply stopped before any text is removed', () => {
    const { adapter } = manualAdapter();
    const conversation = createConversation(adapter);
    const seen = record(conversation);
    conversation.send('q');
    conversation.stop();
    expect(shape(conversation)).toEqual(['user:complete:q']);
    expect(seen.types().slice(-2)).toEqual(['removed', 'busy']);
  });

  test('the adapter’s own abort is a stop, not a failure', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    conversation.send('q');
    calls[0]!.observer.next('so far');
    calls[0]!.observer.error(new ChatError('aborted', 'Aborted'));
    expect(conversation.messages[1]).toMatchObject({ status: 'stopped', text: 'so far' });
  });

  test('does nothing when no reply is in flight', () => {
    const conversation = createConversation(manualAdapter().adapter);
    const seen = record(conversation);
    conversation.stop();
    expect(seen.changes).toEqual([]);
  });
});

describe('retry', () => {
  test('asks again for the last failed reply, in place of it', async () => {
    let attempt = 0;
    const adapter: ChatAdapter = {
      streamText(_m, observer) {
        if (attempt++ === 0) {
          observer.next('par');
          observer.error(new ChatError('connection-error', 'dropped', { partialText: 'par' }));
        } else {
          observer.next('whole');
          observer.complete({ text: 'whole', finishReason: 'stop' });
        }
      },
    };
    const conversation = createConversation(adapter);
    const seen = record(conversation);
    conversation.send('q');
    expect(conversation.messages[1]).toMatchObject({ status: 'failed', text: 'par' });
    expect(conversation.messages[1]!.error!.code).toBe('connection-error');
    const failed = seen.changes.find((c) => c.type === 'failed');
    expect(failed?.type === 'failed' && failed.error.code).toBe('connection-error');
    const failedId = conversation.messages[1]!.id;
    conversation.retry();
    expect(shape(conversation)).toEqual(['user:complete:q', 'assistant:complete:whole']);
    expect(conversation.messages[1]!.id).not.toBe(failedId);
    expect(seen.types()).toContain('removed');
  });

  test('a failed error with no deltas keeps the error’s partialText', () => {
    const conversation = createConversation(failingAdapter('connection-error'));
    conversation.send('q');
    expect(conversation.messages[1]!.text).toBe('');
    const withPartial = createConversation({
      streamText: (_m, o) => o.error(new ChatError('connection-error', 'x', { partialText: 'kept' })),
    });
    withPartial.send('q');
    expect(withPartial.messages[1]!.text).toBe('kept');
  });

  test('does nothing when the last reply did not fail', async () => {
    const adapter = streamingAdapter(['ok']);
    const conversation = createConversation(adapter);
    conversation.send('q');
    await settle();
    conversation.retry();
    expect(adapter.calls).toHaveLength(1);
  });
});

describe('regenerate', () => {
  test('drops that reply and everything after it, and asks its question again', async () => {
    const adapter = streamingAdapter(['r']);
    const conversation = createConversation(adapter);
    conversation.send('q1');
    await settle();
    conversation.send('q2');
    await settle();
    const seen = record(conversation);
    const firstReply = conversation.messages[1]!;
    conversation.regenerate(firstReply.id);
    expect(
      seen.changes.filter((c) => c.type === 'removed').map((c) => c.type === 'removed' && c.message.text),
    ).toEqual(['r', 'q2', 'r']);
    await settle();
    expect(shape(conversation)).toEqual(['user:complete:q1', 'assistant:complete:r']);
    expect(adapter.calls.at(-1)!.message).toBe('q1');
    expect(adapter.calls.at(-1)!.extras.conversationHistory).toEqual([]);
  });

  test('regenerating the streaming reply abandons it silently and asks again', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    conversation.send('q');
    calls[0]!.observer.next('first try');
    const seen = record(conversation);
    conversation.regenerate(conversation.messages[1]!.id);
    expect(calls[0]!.extras.signal!.aborted).toBe(true);
    expect(seen.types()).not.toContain('completed');
    expect(shape(conversation)).toEqual(['user:complete:q', 'assistant:streaming:']);
    expect(calls).toHaveLength(2);
  });

  test('an unknown id, or a user message’s, throws invalid-config', () => {
    const conversation = createConversation(manualAdapter().adapter);
    conversation.send('q');
    const invalid = expect.objectContaining({ code: 'invalid-config' });
    expect(() => conversation.regenerate('nope')).toThrow(invalid);
    expect(() => conversation.regenerate(conversation.messages[0]!.id)).toThrow(invalid);
  });

  test('a reply with no question before it cannot be regenerated', () => {
    const conversation = createConversation(manualAdapter().adapter, {
      initialMessages: [{ role: 'assistant', message: 'Hello! Ask me anything.' }],
    });
    expect(() => conversation.regenerate(conversation.messages[0]!.id)).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  });
});

describe('edit', () => {
  test('replaces the user message, drops what came after, and asks again', async () => {
    const adapter = streamingAdapter(['r']);
    const conversation = createConversation(adapter);
    conversation.send('q1');
    await settle();
    conversation.send('q2');
    await settle();
    const seen = record(conversation);
    conversation.edit(conversation.messages[0]!.id, 'q1, better');
    await settle();
    expect(shape(conversation)).toEqual(['user:complete:q1, better', 'assistant:complete:r']);
    expect(seen.types().slice(0, 5)).toEqual(['removed', 'removed', 'removed', 'removed', 'added']);
    expect(adapter.calls.at(-1)!.message).toBe('q1, better');
  });

  test('refuses an assistant message’s id and empty text', () => {
    const conversation = createConversation(streamingAdapter(['r']));
    conversation.send('q');
    const invalid = expect.objectContaining({ code: 'invalid-config' });
    expect(() => conversation.edit(conversation.messages[1]!.id, 'x')).toThrow(invalid);
    expect(() => conversation.edit(conversation.messages[0]!.id, ' ')).toThrow(invalid);
  });
});

describe('clear', () => {
  test('empties the conversation and abandons a reply in flight without completing it', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    conversation.send('q');
    const seen = record(conversation);
    conversation.clear();
    expect(calls[0]!.extras.signal!.aborted).toBe(true);
    expect(conversation.messages).toEqual([]);
    expect(conversation.busy).toBe(false);
    expect(seen.types()).toEqual(['busy', 'cleared']);
    calls[0]!.observer.next('late');
    calls[0]!.observer.complete();
    expect(conversation.messages).toEqual([]);
  });
});

describe('items', () => {
  test('lists finished messages (stopped ones too) as ChatItems', () => {
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    conversation.send('q');
    calls[0]!.observer.next('cut');
    conversation.stop();
    conversation.send('q2');
    expect(conversation.items()).toEqual([
      { role: 'user', message: 'q' },
      { role: 'assistant', message: 'cut' },
      { role: 'user', message: 'q2' },
    ]);
  });
});

describe('options', () => {
  const invalid = expect.objectContaining({ code: 'invalid-config' });
  const adapter = streamingAdapter(['x']);
  test.each([
    ['historyPayloadSize -1', { historyPayloadSize: -1 }],
    ['historyPayloadSize "all"', { historyPayloadSize: 'all' }],
    ['maxHistoryBytes 1.5', { maxHistoryBytes: 1.5 }],
    ['maxHistoryBytes -1', { maxHistoryBytes: -1 }],
    ['store without list', { store: { load() {}, save() {}, remove() {} } }],
    ['id ""', { id: '' }],
    ['initialMessages with a bad role', { initialMessages: [{ role: 'bot', message: 'x' }] }],
  ])('%s throws invalid-config', (_name, options) => {
    expect(() => createConversation(adapter, options as never)).toThrow(invalid);
  });

  test('each conversation has its own id', () => {
    expect(createConversation(adapter).id).not.toBe(createConversation(adapter).id);
    expect(createConversation(adapter, { id: 'mine' }).id).toBe('mine');
  });
});
