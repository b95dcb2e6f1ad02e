// @vitest-environment happy-dom
// Saved history: a conversation survives a reload through sessionStorage (a reply streaming when the page
// closed comes back stopped, with its text), and no store failure — corrupt or foreign data, a full
// quota, a store that throws or rejects — ever breaks the conversation: it starts empty or keeps going
// and reports `storage-error`.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  type ConversationChange,
  type ConversationStore,
  createConversation,
  memoryStore,
  type StoredConversation,
  webStorageStore,
} from '../../src/chat/conversation';
import { ChatError } from '../../src/core/errors';
import { manualAdapter, settle, streamingAdapter } from '../chat/helpers';
import { record, shape } from './helpers';

const KEY = 'chat';
beforeEach(() => sessionStorage.clear());
afterEach(() => vi.useRealTimers());

const storageErrors = (changes: ConversationChange[]) =>
  changes.flatMap((c) => (c.type === 'error' ? [c.error] : []));

/** A Storage with a byte quota, failing as browsers do when it is full. */
function smallStorage(quota: number): Storage {
  const items = new Map<string, string>();
  const used = () => [...items].reduce((n, [k, v]) => n + k.length + v.length, 0);
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    setItem(k, v) {
      if (used() - (items.get(k)?.length ?? 0) + k.length + v.length > quota) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      items.set(k, String(v));
    },
    removeItem: (k) => void items.delete(k),
    clear: () => items.clear(),
  };
}

describe('a reload restores the conversation (sessionStorage)', () => {
  test('finished, stopped and failed replies come back as they were, ids included', async () => {
    const store = webStorageStore(sessionStorage, KEY);
    const { adapter, calls } = manualAdapter();
    const before = createConversation(adapter, { store, id: 'c1' });
    before.send('first');
    calls[0]!.observer.next('done');
    calls[0]!.observer.complete({ text: 'done', finishReason: 'stop', model: 'm' });
    before.send('second');
    calls[1]!.observer.next('cut');
    before.stop();
    before.send('third');
    calls[2]!.observer.error(new ChatError('rate-limited', 'slow down', { status: 429, retryable: true }));

    // The reload: a new page reads the same storage.
    const after = createConversation(streamingAdapter(['retried']), {
      store: webStorageStore(sessionStorage, KEY),
      id: 'c1',
    });
    expect(after.messages).toEqual(
      before.messages.map((m) => expect.objectContaining({ id: m.id, text: m.text, status: m.status })),
    );
    expect(after.messages[1]!.result).toEqual({ text: 'done', finishReason: 'stop', model: 'm' });
    const failed = after.messages[5]!;
    expect(failed.error).toBeInstanceOf(ChatError);
    expect(failed.error).toMatchObject({ code: 'rate-limited', status: 429, retryable: true });
    // A restored failed reply can be retried.
    after.retry();
    await settle();
    expect(shape(after).at(-1)).toBe('assistant:complete:retried');
  });

  test('a reply streaming when the page closed comes back stopped, with the text saved so far', () => {
    vi.useFakeTimers();
    const { adapter, calls } = manualAdapter();
    const before = createConversation(adapter, { store: webStorageStore(sessionStorage, KEY) });
    before.send('tell me');
    calls[0]!.observer.next('Once upon');
    // Saved while streaming at most once a second, never per delta.
    const saved = () => JSON.parse(sessionStorage.getItem(`${KEY}:${before.id}`)!).messages[1].text;
    expect(saved()).toBe('');
    calls[0]!.observer.next(' a time');
    vi.advanceTimersByTime(1000);
    expect(saved()).toBe('Once upon a time');
    calls[0]!.observer.next(' there was');

    // No id: the store's most recent conversation is opened, so the reload resumes it.
    const after = createConversation(streamingAdapter([]), { store: webStorageStore(sessionStorage, KEY) });
    expect(after.id).toBe(before.id);
    expect(shape(after)).toEqual(['user:complete:tell me', 'assistant:stopped:Once upon a time']);
    expect(after.busy).toBe(false);
  });

  test('save() writes at once (for pagehide), the last delta included', () => {
    const { adapter, calls } = manualAdapter();
    const before = createConversation(adapter, { store: webStorageStore(sessionStorage, KEY), id: 'c' });
    before.send('q');
    calls[0]!.observer.next('every word');
    void before.save();
    const after = createConversation(adapter, { store: webStorageStore(sessionStorage, KEY), id: 'c' });
    expect(shape(after)).toEqual(['user:complete:q', 'assistant:stopped:every word']);
  });

  test('restored messages replace the initial ones', () => {
    const store = webStorageStore(sessionStorage, KEY);
    const before = createConversation(streamingAdapter(['a']), { store, id: 'c' });
    before.send('saved question');
    before.stop();
    const initialMessages = [{ role: 'assistant' as const, message: 'Welcome!' }];
    expect(shape(createConversation(streamingAdapter([]), { store, id: 'c', initialMessages }))).toEqual([
      'user:complete:saved question',
    ]);
    expect(shape(createConversation(streamingAdapter([]), { store, id: 'new', initialMessages }))).toEqual([
      'assistant:complete:Welcome!',
    ]);
  });

  test('clear() forgets the saved conversation', () => {
    const store = webStorageStore(sessionStorage, KEY);
    const conversation = createConversation(streamingAdapter([]), { store, id: 'c' });
    conversation.send('q');
    expect(sessionStorage.getItem(`${KEY}:c`)).not.toBeNull();
    conversation.clear();
    expect(sessionStorage.getItem(`${KEY}:c`)).toBeNull();
  });

  test('the stored data is versioned JSON with a title', () => {
    const conversation = createConversation(manualAdapter().adapter, {
      store: webStorageStore(sessionStorage, KEY),
      id: 'c',
    });
    conversation.send(`A long first question ${'x'.repeat(200)}`);
    const stored = JSON.parse(sessionStorage.getItem(`${KEY}:c`)!) as StoredConversation;
    expect(stored.version).toBe(1);
    expect(stored.id).toBe('c');
    expect(stored.title.length).toBeLessThanOrEqual(80);
    expect(stored.title.startsWith('A long first question')).toBe(true);
    expect(stored.updatedAt).toBeGreaterThan(0);
    expect(stored.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'streaming'],
    ]);
  });
});

describe('how long a reply reasoned', () => {
  test('is timed from the question to the first text, and saved with the reply', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = webStorageStore(sessionStorage, KEY);
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter, { store, id: 'c' });
    conversation.send('why?');
    const { observer } = calls[0]!;
    vi.setSystemTime(Date.now() + 1_000);
    observer.reasoning!('Weighing it.');
    vi.setSystemTime(Date.now() + 4_200);
    expect(conversation.messages[1]!.reasoningMs).toBeUndefined();
    observer.next('Because.');
    vi.setSystemTime(Date.now() + 9_000);
    observer.complete({ text: 'Because.', finishReason: 'stop' });
    expect(conversation.messages[1]!.reasoningMs).toBe(5_200);
    const restored = createConversation(adapter, { store, id: 'c' });
    expect(restored.messages[1]).toMatchObject({ reasoning: 'Weighing it.', reasoningMs: 5_200 });
  });

  test('a reply with reasoning and no text (or reasoning only in its result) is timed to its end', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { adapter, calls } = manualAdapter();
    const conversation = createConversation(adapter);
    conversation.send('why?');
    vi.setSystemTime(Date.now() + 3_000);
    calls[0]!.observer.complete({ text: '', finishReason: 'stop', reasoning: 'Summary.' } as never);
    expect(conversation.messages[1]).toMatchObject({ reasoning: 'Summary.', reasoningMs: 3_000 });
    conversation.send('and?');
    calls[1]!.observer.complete({ text: 'No reasoning.', finishReason: 'stop' });
    expect(conversation.messages[3]!.reasoningMs).toBeUndefined();
  });

  test('data saved before replies were timed still loads, with no time', () => {
    sessionStorage.setItem(
      `${KEY}:c`,
      JSON.stringify({
        version: 1,
        id: 'c',
        title: 'why?',
        updatedAt: 1,
        messages: [
          { id: 'm1', role: 'user', text: 'why?', status: 'complete' },
          { id: 'm2', role: 'assistant', text: 'Because.', status: 'complete', reasoning: 'Hmm.' },
        ],
      }),
    );
    const conversation = createConversation(manualAdapter().adapter, {
      store: webStorageStore(sessionStorage, KEY),
      id: 'c',
    });
    expect(shape(conversation)).toEqual(['user:complete:why?', 'assistant:complete:Because.']);
    expect(conversation.messages[1]!.reasoning).toBe('Hmm.');
    expect('reasoningMs' in conversation.messages[1]!).toBe(false);
  });
});

describe('bad saved data never breaks the conversation', () => {
  const cases: [string, string][] = [
    ['corrupt JSON', '{"version":1,"id":"c","messages":[{'],
    ['a foreign version', JSON.stringify({ version: 2, id: 'c', messages: [] })],
    ['not a conversation', JSON.stringify(['hello'])],
    [
      'another conversation’s data',
      JSON.stringify({ version: 1, id: 'other', title: '', updatedAt: 1, messages: [] }),
    ],
    [
      'a damaged message',
      JSON.stringify({
        version: 1,
        id: 'c',
        title: '',
        updatedAt: 1,
        messages: [{ id: 'm', role: 'bot', text: 1 }],
      }),
    ],
    [
      'a reasoning time that is not a number',
      JSON.stringify({
        version: 1,
        id: 'c',
        title: '',
        updatedAt: 1,
        messages: [{ id: 'm', role: 'assistant', text: 'a', status: 'complete', reasoningMs: '5 s' }],
      }),
    ],
    [
      'duplicate message ids',
      JSON.stringify({
        version: 1,
        id: 'c',
        title: '',
        updatedAt: 1,
        messages: [
          { id: 'm', role: 'user', text: 'a', status: 'complete' },
          { id: 'm', role: 'user', text: 'b', status: 'complete' },
        ],
      }),
    ],
  ];
  test.each(cases)('%s: starts empty, reports storage-error, then saves over it', async (_name, json) => {
    sessionStorage.setItem(`${KEY}:c`, json);
    const conversation = createConversation(streamingAdapter(['ok']), {
      store: webStorageStore(sessionStorage, KEY),
      id: 'c',
    });
    const seen = record(conversation);
    await conversation.ready;
    expect(conversation.messages).toEqual([]);
    expect(storageErrors(seen.changes).map((e) => e.code)).toEqual(['storage-error']);
    conversation.send('q');
    await settle();
    expect(shape(conversation)).toEqual(['user:complete:q', 'assistant:complete:ok']);
    expect(JSON.parse(sessionStorage.getItem(`${KEY}:c`)!).messages).toHaveLength(2);
  });
});

describe('a failing store never breaks the conversation', () => {
  test('a full quota (QuotaExceededError): the reply still completes and storage-error is reported', async () => {
    const storage = smallStorage(400);
    const conversation = createConversation(streamingAdapter(['x'.repeat(500)]), {
      store: webStorageStore(storage, KEY),
      id: 'c',
    });
    const seen = record(conversation);
    conversation.send('short');
    expect(storage.getItem(`${KEY}:c`)).not.toBeNull();
    await settle();
    expect(shape(conversation)).toEqual(['user:complete:short', `assistant:complete:${'x'.repeat(500)}`]);
    const [error] = storageErrors(seen.changes);
    expect(error).toBeInstanceOf(ChatError);
    expect(error!.code).toBe('storage-error');
    expect((error!.cause as DOMException).name).toBe('QuotaExceededError');
    expect(conversation.busy).toBe(false);
    // It keeps going: the next turn works (and fails to save the same way).
    conversation.send('again');
    await settle();
    expect(conversation.messages).toHaveLength(4);
  });

  const throwing = (how: 'throw' | 'reject'): ConversationStore => {
    const fail = (what: string) => {
      const error = new Error(`${what} failed`);
      if (how === 'throw') throw error;
      return Promise.reject(error);
    };
    return {
      load: () => fail('load') as never,
      save: () => fail('save') as never,
      list: () => fail('list') as never,
      remove: () => fail('remove') as never,
    };
  };

  test.each(['throw', 'reject'] as const)('a store whose every method %ss', async (how) => {
    for (const id of ['c', undefined]) {
      const conversation = createConversation(streamingAdapter(['fine']), { store: throwing(how), id });
      const seen = record(conversation);
      await conversation.ready;
      expect(storageErrors(seen.changes).map((e) => e.message)).toEqual([
        `Store failed: ${id ? 'load' : 'list'} failed`,
      ]);
      conversation.send('q');
      await settle();
      expect(shape(conversation)).toEqual(['user:complete:q', 'assistant:complete:fine']);
      expect(conversation.busy).toBe(false);
      // One report per failed save: when the turn started and when it ended.
      expect(storageErrors(seen.changes)).toHaveLength(3);
      await conversation.save();
      conversation.clear();
      await settle();
      expect(storageErrors(seen.changes)).toHaveLength(5);
    }
  });
});

describe('an async store (IndexedDB, a server)', () => {
  /** A memory store answering every call after `ms`, recording the order calls start and finish. */
  function slowStore(ms: number) {
    const inner = memoryStore();
    const log: string[] = [];
    const delayed =
      <A extends unknown[], R>(name: string, fn: (...args: A) => R) =>
      async (...args: A): Promise<Awaited<R>> => {
        log.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.push(`${name} end`);
        return (await fn(...args)) as Awaited<R>;
      };
    const store: ConversationStore = {
      load: delayed('load', inner.load),
      save: delayed('save', inner.save),
      list: delayed('list', inner.list),
      remove: delayed('remove', inner.remove),
    };
    return { store, inner, log };
  }

  test('restores once loaded, announcing it with a loaded change', async () => {
    const { store, inner } = slowStore(5);
    await inner.save({
      version: 1,
      id: 'c',
      title: 'q',
      updatedAt: 1,
      messages: [
        { id: 'u', role: 'user', text: 'q', status: 'complete' },
        { id: 'a', role: 'assistant', text: 'half', status: 'streaming' },
      ],
    });
    const conversation = createConversation(streamingAdapter([]), { store, id: 'c' });
    const seen = record(conversation);
    expect(conversation.messages).toEqual([]);
    await conversation.ready;
    expect(shape(conversation)).toEqual(['user:complete:q', 'assistant:stopped:half']);
    expect(seen.types()).toEqual(['loaded']);
  });

  test('a message sent before the restore settles goes after the restored ones, and nothing saved is lost', async () => {
    const { store, inner } = slowStore(5);
    await inner.save({
      version: 1,
      id: 'c',
      title: 'old',
      updatedAt: 1,
      messages: [{ id: 'u', role: 'user', text: 'old', status: 'complete' }],
    });
    const conversation = createConversation(streamingAdapter(['new reply']), { store });
    conversation.send('new');
    await conversation.ready;
    await settle();
    await conversation.save();
    expect(conversation.id).toBe('c');
    expect(shape(conversation)).toEqual([
      'user:complete:old',
      'user:complete:new',
      'assistant:complete:new reply',
    ]);
    expect((await inner.load('c'))!.messages.map((m) => m.text)).toEqual(['old', 'new', 'new reply']);
  });

  test('saves run one at a time, in order', async () => {
    const { store, inner, log } = slowStore(3);
    const conversation = createConversation(streamingAdapter(['a', 'b']), { store, id: 'c' });
    await conversation.ready;
    conversation.send('q1');
    await settle();
    conversation.send('q2');
    await conversation.save();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const saves = log.filter((line) => line.startsWith('save'));
    for (let i = 0; i < saves.length; i += 2)
      expect(saves.slice(i, i + 2)).toEqual(['save start', 'save end']);
    expect((await inner.load('c'))!.messages.map((m) => m.text)).toEqual(['q1', 'ab', 'q2', 'ab']);
  });
});

describe('several conversations in one store', () => {
  test('list() names them newest first; opening one by id restores it (loadConversation / newConversation)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = memoryStore();
    vi.setSystemTime(1000);
    const a = createConversation(streamingAdapter(['A']), { store, id: 'a' });
    a.send('About apples');
    await settle();
    vi.setSystemTime(2000);
    const b = createConversation(streamingAdapter(['B']), { store, id: 'b' });
    b.send('About bananas');
    await settle();
    vi.useRealTimers();
    expect(await store.list()).toEqual([
      { id: 'b', title: 'About bananas', updatedAt: 2000 },
      { id: 'a', title: 'About apples', updatedAt: 1000 },
    ]);
    const reopened = createConversation(streamingAdapter([]), { store, id: 'a' });
    expect(shape(reopened)).toEqual(['user:complete:About apples', 'assistant:complete:A']);
    const fresh = createConversation(streamingAdapter([]), { store, id: 'brand-new' });
    expect(fresh.messages).toEqual([]);
    await store.remove('a');
    expect((await store.list()).map((s) => s.id)).toEqual(['b']);
  });

  test('webStorageStore lists only its own, readable entries', () => {
    sessionStorage.setItem('other-app', '{}');
    sessionStorage.setItem(`${KEY}:broken`, '{nope');
    sessionStorage.setItem(`${KEY}:foreign`, JSON.stringify({ version: 9, id: 'foreign' }));
    const store = webStorageStore(sessionStorage, KEY);
    createConversation(streamingAdapter([]), { store, id: 'mine' }).send('hello');
    expect((store.list() as { id: string }[]).map((s) => s.id)).toEqual(['mine']);
  });

  test('webStorageStore refuses a missing storage or key', () => {
    const invalid = expect.objectContaining({ code: 'invalid-config' });
    expect(() => webStorageStore(undefined as never, KEY)).toThrow(invalid);
    expect(() => webStorageStore(sessionStorage, '')).toThrow(invalid);
  });
});
