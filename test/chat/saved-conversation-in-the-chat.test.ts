// @vitest-environment happy-dom
// The chat on the conversation model: a store restores it, several conversations, storage errors as
// the chat's `error` event, and the view pieces that go with it (labelled articles, announcements,
// Jump to latest).
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import { memoryStore } from '../../src/chat/conversation/memory-store';
import { webStorageStore } from '../../src/chat/conversation/web-storage-store';
import type { AiChat } from '../../src/chat/types';
import { $, body, frame, manualAdapter, messages, newHost, settle } from './helpers';

let chats: AiChat[] = [];
afterEach(() => {
  for (const c of chats) c.unmount();
  chats = [];
  vi.restoreAllMocks();
});
const keep = (chat: AiChat) => {
  chats.push(chat);
  return chat;
};

describe('withConversationStore', () => {
  test('a reload (a second mount on the same storage) restores the conversation, a stopped reply too', async () => {
    sessionStorage.clear();
    const { adapter, calls } = manualAdapter();
    const first = keep(
      createAiChat()
        .withAdapter(adapter)
        .withConversationStore(webStorageStore(sessionStorage, 'k'))
        .mount(newHost()),
    );
    first.sendMessage('hello');
    calls[0]!.observer.next('partial **text**');
    first.unmount();
    const host = newHost();
    const second = keep(
      createAiChat()
        .withAdapter(adapter)
        .withConversationStore(webStorageStore(sessionStorage, 'k'))
        .mount(host),
    );
    await settle();
    expect(messages(host, 'user').map(body)).toEqual(['hello']);
    expect(body(messages(host, 'assistant')[0])).toBe('partial text');
    expect($(messages(host, 'assistant')[0]!, '.cw-note').textContent).toContain('Stopped');
    expect(second.getConversation()).toEqual([
      { role: 'user', message: 'hello' },
      { role: 'assistant', message: 'partial **text**' },
    ]);
  });

  test('newConversation() empties the view under a new id; loadConversation(id) brings the old one back', async () => {
    const store = memoryStore();
    const { adapter, calls } = manualAdapter();
    const host = newHost();
    const chat = keep(createAiChat().withAdapter(adapter).withConversationStore(store).mount(host));
    await settle();
    chat.sendMessage('in the first');
    calls[0]!.observer.next('a');
    calls[0]!.observer.complete();
    await settle();
    const [saved] = await store.list();
    const id = chat.newConversation();
    expect(id).not.toBe(saved!.id);
    expect(messages(host)).toHaveLength(0);
    expect($(host, '.cw-welcome').hidden).toBe(false);
    await chat.loadConversation(saved!.id);
    expect(messages(host, 'user').map(body)).toEqual(['in the first']);
    expect(() => createAiChat().withConversationStore({} as never)).toThrow(/load, save, list and remove/);
  });

  test('a store that throws emits error with code storage-error, and the chat keeps working', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const onError = vi.fn();
    const { adapter, calls } = manualAdapter();
    const broken = {
      load: () => {
        throw new Error('quota');
      },
      save: () => {
        throw new Error('quota');
      },
      list: () => {
        throw new Error('quota');
      },
      remove: () => {
        throw new Error('quota');
      },
    };
    const host = newHost();
    const chat = keep(
      createAiChat().withAdapter(adapter).withConversationStore(broken).on('error', onError).mount(host),
    );
    await settle();
    chat.sendMessage('still works');
    calls[0]!.observer.next('yes');
    calls[0]!.observer.complete();
    await settle();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'storage-error' }));
    expect(body(messages(host, 'assistant')[0])).toBe('yes');
  });

  test('a restored reply says how long it really reasoned, not "Thought for 1 s"', async () => {
    sessionStorage.clear();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { adapter, calls } = manualAdapter();
      const mount = (host: HTMLElement) =>
        keep(
          createAiChat()
            .withAdapter(adapter)
            .withConversationStore(webStorageStore(sessionStorage, 'thought'))
            .mount(host),
        );
      const firstHost = newHost();
      const first = mount(firstHost);
      first.sendMessage('why?');
      const { observer } = calls[0]!;
      observer.reasoning!('Weighing **both** sides.');
      vi.setSystemTime(Date.now() + 7_300);
      observer.next('Because.');
      observer.complete({ text: 'Because.', finishReason: 'stop' });
      const label = (host: HTMLElement) => $(host, '.cw-reasoning-toggle').textContent;
      expect(label(firstHost)).toBe('Thought for 7 s');
      first.unmount();
      // The reload comes a minute later: the view's own clock would say 1 s.
      vi.setSystemTime(Date.now() + 60_000);
      const host = newHost();
      mount(host);
      await settle();
      expect(body(messages(host, 'assistant')[0])).toBe('Because.');
      expect(label(host)).toBe('Thought for 7 s');
    } finally {
      vi.useRealTimers();
    }
  });

  test('loadConversation without a store is invalid-config', () => {
    const chat = keep(createAiChat().withAdapter(manualAdapter().adapter).mount(newHost()));
    expect(() => chat.loadConversation('x')).toThrow(/withConversationStore/);
  });
});

describe('the view of each message', () => {
  test('each message is an article named after who said it', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    keep(
      createAiChat()
        .withAdapter(adapter)
        .withPersonaOptions({ assistant: { name: 'Ada' } })
        .mount(host),
    ).sendMessage('q');
    calls[0]!.observer.complete();
    const [user, reply] = messages(host);
    expect(user!.tagName).toBe('ARTICLE');
    expect(user!.getAttribute('aria-label')).toBe('You');
    expect(reply!.getAttribute('aria-label')).toBe('Ada');
  });

  test('the finished-reply announcement keeps blocks apart', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    keep(createAiChat().withAdapter(adapter).mount(host)).sendMessage('q');
    calls[0]!.observer.next('# Title\n\nFirst paragraph of the demo model\n\nThis reply\n\n- one\n- two');
    calls[0]!.observer.complete();
    expect($(host, '[role="status"]').textContent).toBe(
      'Assistant: Title First paragraph of the demo model This reply one two',
    );
  });

  test('scrolling up while a reply streams stops following and shows Jump to latest; it brings the reader back', async () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    const chat = keep(createAiChat().withAdapter(adapter).mount(host));
    const log = $(host, '[role="log"]');
    let top = 0;
    Object.defineProperties(log, {
      scrollHeight: { configurable: true, get: () => 1000 },
      clientHeight: { configurable: true, get: () => 200 },
      scrollTop: {
        configurable: true,
        get: () => top,
        set: (v: number) => {
          top = Math.min(v, 800);
        },
      },
    });
    chat.sendMessage('q');
    await frame();
    expect(top).toBe(800);
    const jump = $<HTMLButtonElement>(host, '.cw-jump');
    expect(jump.hidden).toBe(true);
    top = 100;
    log.dispatchEvent(new Event('scroll'));
    expect(jump.hidden).toBe(false);
    expect(jump.textContent).toBe('Jump to latest');
    calls[0]!.observer.next('more');
    await frame();
    expect(top).toBe(100);
    jump.click();
    await frame();
    expect(top).toBe(800);
    expect(jump.hidden).toBe(true);
    // Sending always returns to the bottom, even after scrolling up.
    top = 50;
    log.dispatchEvent(new Event('scroll'));
    chat.sendMessage('again');
    await frame();
    expect(top).toBe(800);
  });
});

describe('opening a long saved conversation', () => {
  test('the newest messages are there at once, the older ones follow in later tasks, in order', async () => {
    const items = Array.from({ length: 120 }, (_, i) => ({
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      message: `message ${i}`,
    }));
    const host = newHost();
    const chat = keep(
      createAiChat().withAdapter(manualAdapter().adapter).withInitialConversation(items).mount(host),
    );
    const now = messages(host);
    expect(now.length).toBeLessThan(120);
    expect(body(now.at(-1))).toBe('message 119');
    await vi.waitFor(() => expect(messages(host)).toHaveLength(120), { timeout: 10_000 });
    expect(messages(host).map(body)).toEqual(items.map((i) => i.message));
    expect(chat.getConversation()).toHaveLength(120);
  });
});
