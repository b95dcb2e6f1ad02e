// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import {
  $,
  $$,
  body,
  frame,
  manualAdapter,
  messages,
  newHost,
  settle,
  streamingAdapter,
  textarea,
} from './helpers';

let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

const base = () => createAiChat().withAdapter(manualAdapter().adapter);
const root = (host: HTMLElement) => host.firstElementChild as HTMLElement;

describe('withPersonaOptions', () => {
  test('names and avatars: an image URL becomes <img alt=name>, text is shown as is', () => {
    const host = newHost();
    chat = base()
      .withPersonaOptions({
        assistant: { name: 'Ada', avatar: 'https://example.com/ada.png', tagline: 'Ask me about engines' },
        user: { name: 'Grace', avatar: '🦊' },
      })
      .withInitialConversation([
        { role: 'user', message: 'hi' },
        { role: 'assistant', message: 'hello' },
      ])
      .mount(host);
    const [user] = messages(host, 'user');
    const [assistant] = messages(host, 'assistant');
    expect($(user!, '.cw-name').textContent).toBe('Grace');
    expect($(user!, '.cw-avatar').textContent).toBe('🦊');
    expect($(assistant!, '.cw-name').textContent).toBe('Ada');
    const img = $<HTMLImageElement>(assistant!, '.cw-avatar img');
    expect(img.getAttribute('src')).toBe('https://example.com/ada.png');
    expect(img.alt).toBe('Ada');
  });

  test('without an avatar the initial of the name is shown; defaults are "Assistant" and "You"', () => {
    const host = newHost();
    chat = base()
      .withInitialConversation([
        { role: 'user', message: 'a' },
        { role: 'assistant', message: 'b' },
      ])
      .mount(host);
    expect(messages(host).map((m) => $(m, '.cw-name').textContent)).toEqual(['You', 'Assistant']);
    expect(messages(host).map((m) => $(m, '.cw-avatar').textContent)).toEqual(['Y', 'A']);
  });

  test('the welcome screen shows the assistant name and tagline until the first message', () => {
    const host = newHost();
    chat = base()
      .withPersonaOptions({ assistant: { name: 'Ada', tagline: 'Ask me about engines' } })
      .mount(host);
    const welcome = $(host, '.cw-welcome');
    expect(welcome.hidden).toBe(false);
    expect(welcome.textContent).toContain('Ada');
    expect(welcome.textContent).toContain('Ask me about engines');
    chat.sendMessage('hi');
    expect(welcome.hidden).toBe(true);
  });

  test('a javascript: avatar is refused with invalid-config', () => {
    expect(() =>
      createAiChat().withPersonaOptions({ assistant: { name: 'x', avatar: 'javascript:alert(1)' } }),
    ).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});

describe('withConversationOptions', () => {
  test('conversationStarters are buttons that send their prompt, labelled by label or prompt', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    chat = createAiChat()
      .withAdapter(adapter)
      .withConversationOptions({
        conversationStarters: [{ prompt: 'Explain SSE', label: 'SSE?' }, { prompt: 'Write a haiku' }],
      })
      .mount(host);
    const buttons = $$(host, '.cw-starters button');
    expect(buttons.map((b) => b.textContent)).toEqual(['SSE?', 'Write a haiku']);
    buttons[0]!.click();
    expect(calls[0]!.message).toBe('Explain SSE');
    expect(body(messages(host, 'user')[0])).toBe('Explain SSE');
    expect(document.activeElement).toBe(textarea(host));
  });

  test("layout sets the root's class: bubbles by default, list on request", () => {
    const host = newHost();
    chat = base().mount(host);
    expect(root(host).classList.contains('chatwire--bubbles')).toBe(true);
    chat.unmount();
    chat = base().withConversationOptions({ layout: 'list' }).mount(host);
    expect(root(host).classList.contains('chatwire--list')).toBe(true);
    expect(root(host).classList.contains('chatwire--bubbles')).toBe(false);
  });

  describe('autoScroll', () => {
    // happy-dom does no layout, so the log is given the geometry of a scrolled 1000px conversation.
    const geometry = (log: HTMLElement) => {
      Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => 1000 });
      Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 200 });
    };

    test('follows the reply, stops when the reader scrolls up, resumes at the bottom', async () => {
      const host = newHost();
      const { adapter, last } = manualAdapter();
      chat = createAiChat().withAdapter(adapter).mount(host);
      const log = $(host, '[role="log"]');
      geometry(log);
      chat.sendMessage('q');
      last().observer.next('a');
      await frame();
      expect(log.scrollTop).toBe(1000);

      log.scrollTop = 300;
      log.dispatchEvent(new Event('scroll'));
      last().observer.next('b');
      await frame();
      expect(log.scrollTop).toBe(300);

      log.scrollTop = 800;
      log.dispatchEvent(new Event('scroll'));
      last().observer.next('c');
      await frame();
      expect(log.scrollTop).toBe(1000);
    });

    test('autoScroll: false never moves the log', async () => {
      const host = newHost();
      const { adapter, last } = manualAdapter();
      chat = createAiChat().withAdapter(adapter).withConversationOptions({ autoScroll: false }).mount(host);
      const log = $(host, '[role="log"]');
      geometry(log);
      chat.sendMessage('q');
      last().observer.next('a');
      await frame();
      expect(log.scrollTop).toBe(0);
    });
  });
});

describe('withDisplayOptions', () => {
  test('colorScheme (auto by default), themeId, width and height', () => {
    const host = newHost();
    chat = base().mount(host);
    expect(root(host).dataset.colorScheme).toBe('auto');
    expect(root(host).hasAttribute('data-theme')).toBe(false);
    chat.unmount();
    chat = base()
      .withDisplayOptions({ colorScheme: 'dark', themeId: 'brand', width: 320, height: '60vh' })
      .mount(host);
    expect(root(host).dataset.colorScheme).toBe('dark');
    expect(root(host).dataset.theme).toBe('brand');
    expect(root(host).style.width).toBe('320px');
    expect(root(host).style.height).toBe('60vh');
  });
});

describe('withInitialConversation', () => {
  test('shows the items, returns them from getConversation and sends them as history', async () => {
    const host = newHost();
    const adapter = streamingAdapter(['ok']);
    const items = [
      { role: 'system' as const, message: 'Be brief.' },
      { role: 'user' as const, message: 'Hi' },
      { role: 'assistant' as const, message: 'Hello!' },
    ];
    chat = createAiChat().withAdapter(adapter).withInitialConversation(items).mount(host);
    expect(messages(host).map((m) => [m.dataset.role, body(m)])).toEqual([
      ['user', 'Hi'],
      ['assistant', 'Hello!'],
    ]);
    expect(chat.getConversation()).toEqual(items);
    expect($(host, '.cw-welcome').hidden).toBe(true);
    chat.sendMessage('next');
    await settle();
    expect(adapter.calls[0]!.extras.conversationHistory).toEqual(items);
  });
});

describe('withClassName', () => {
  test('adds class names to the root', () => {
    const host = newHost();
    chat = base().withClassName('support-chat wide').mount(host);
    expect([...root(host).classList]).toEqual(expect.arrayContaining(['chatwire', 'support-chat', 'wide']));
  });
});

describe('instance methods', () => {
  test("hide() really hides the chat (display: none despite the theme's flex); show() brings it back", () => {
    const host = newHost();
    chat = base().mount(host);
    chat.hide();
    expect(root(host).hidden).toBe(true);
    expect(getComputedStyle(root(host)).display).toBe('none');
    chat.show();
    expect(root(host).hidden).toBe(false);
    expect(getComputedStyle(root(host)).display).toBe('flex');
  });

  test('clear() empties the conversation, aborts a reply in flight and shows the welcome again', () => {
    const host = newHost();
    const { adapter, last } = manualAdapter();
    chat = createAiChat().withAdapter(adapter).mount(host);
    chat.sendMessage('q');
    last().observer.next('partial');
    chat.clear();
    expect(last().extras.signal!.aborted).toBe(true);
    expect(messages(host)).toHaveLength(0);
    expect(chat.getConversation()).toEqual([]);
    expect($(host, '.cw-welcome').hidden).toBe(false);
    last().observer.next('late');
    expect(messages(host)).toHaveLength(0);
  });

  test('getConversation() returns a copy', () => {
    chat = base()
      .withInitialConversation([{ role: 'user', message: 'a' }])
      .mount(newHost());
    const copy = chat.getConversation();
    copy[0]!.message = 'changed';
    copy.push({ role: 'user', message: 'b' });
    expect(chat.getConversation()).toEqual([{ role: 'user', message: 'a' }]);
  });

  test('sendMessage() refuses blank text with invalid-config', () => {
    chat = base().mount(newHost());
    expect(() => chat!.sendMessage('  ')).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});

describe('updateProps', () => {
  test('changes the adapter used by the next message', async () => {
    const first = manualAdapter();
    const second = manualAdapter();
    chat = createAiChat().withAdapter(first.adapter).mount(newHost());
    chat.updateProps({ adapter: second.adapter });
    chat.sendMessage('q');
    expect(first.calls).toHaveLength(0);
    expect(second.calls).toHaveLength(1);
  });

  test('accepts a builder as adapter (calls create())', () => {
    const inner = manualAdapter();
    const create = vi.fn(() => inner.adapter as never);
    chat = base().mount(newHost());
    chat.updateProps({ adapter: { create } });
    chat.sendMessage('q');
    expect(create).toHaveBeenCalledTimes(1);
    expect(inner.calls).toHaveLength(1);
  });

  test('renames personas on messages already shown and on the welcome screen', () => {
    const host = newHost();
    chat = base()
      .withInitialConversation([{ role: 'assistant', message: 'hi' }])
      .mount(host);
    chat.updateProps({ personaOptions: { assistant: { name: 'Bob', avatar: '🤖' } } });
    expect($(messages(host)[0]!, '.cw-name').textContent).toBe('Bob');
    expect($(messages(host)[0]!, '.cw-avatar').textContent).toBe('🤖');
    expect($(host, '.cw-title').textContent).toBe('Bob');
  });

  test('merges composer options into the current ones', () => {
    const host = newHost();
    chat = base().withComposerOptions({ placeholder: 'Ask', submitShortcut: 'CommandEnter' }).mount(host);
    chat.updateProps({ composerOptions: { placeholder: 'Type here' } });
    expect(textarea(host).placeholder).toBe('Type here');
    chat.updateProps({ composerOptions: { disableSubmitButton: true } });
    expect(textarea(host).placeholder).toBe('Type here');
  });

  test('changes display and conversation options and the class name in place', () => {
    const host = newHost();
    chat = base().mount(host);
    const before = root(host);
    chat.updateProps({
      displayOptions: { colorScheme: 'light', height: 400 },
      conversationOptions: { layout: 'list', conversationStarters: [{ prompt: 'Go' }] },
      className: 'mine',
    });
    expect(root(host)).toBe(before);
    expect(before.dataset.colorScheme).toBe('light');
    expect(before.style.height).toBe('400px');
    expect(before.classList.contains('chatwire--list')).toBe(true);
    expect(before.classList.contains('mine')).toBe(true);
    expect($$(host, '.cw-starters button').map((b) => b.textContent)).toEqual(['Go']);
  });

  test('refuses bad values and unknown props with invalid-config, changing nothing', () => {
    const host = newHost();
    chat = base().mount(host);
    expect(() => chat!.updateProps({ displayOptions: { colorScheme: 'purple' as 'dark' } })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(() => chat!.updateProps({ colour: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(() =>
      chat!.updateProps({ composerOptions: { placeholder: 'ok' }, displayOptions: { width: -1 } }),
    ).toThrow(expect.objectContaining({ code: 'invalid-config' }));
    expect(root(host).dataset.colorScheme).toBe('auto');
    expect(textarea(host).placeholder).toBe('');
  });
});
