// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChatBuilder } from '../../src/chat/types';
import { $, manualAdapter, messages, newHost } from './helpers';

const invalid = expect.objectContaining({ name: 'ChatError', code: 'invalid-config' });

describe('createAiChat() builder', () => {
  test('is frozen, and every method returns a new frozen builder', () => {
    const base = createAiChat();
    expect(Object.isFrozen(base)).toBe(true);
    const adapter = manualAdapter().adapter;
    const steps: ((b: AiChatBuilder) => AiChatBuilder)[] = [
      (b) => b.withAdapter(adapter),
      (b) => b.withPersonaOptions({ assistant: { name: 'A' } }),
      (b) => b.withConversationOptions({ layout: 'list' }),
      (b) => b.withComposerOptions({ placeholder: 'p' }),
      (b) => b.withDisplayOptions({ colorScheme: 'dark' }),
      (b) => b.withMessageOptions({ markdownLinkTarget: 'self' }),
      (b) => b.withInitialConversation([]),
      (b) => b.withClassName('x'),
      (b) => b.on('ready', () => {}),
    ];
    for (const step of steps) {
      const next = step(base);
      expect(next).not.toBe(base);
      expect(Object.isFrozen(next)).toBe(true);
    }
  });

  test('forks do not affect each other or the base', () => {
    const host = newHost();
    const base = createAiChat().withAdapter(manualAdapter().adapter);
    const dark = base.withDisplayOptions({ colorScheme: 'dark' });
    const light = base.withDisplayOptions({ colorScheme: 'light' });
    const schemes = [base, dark, light].map((b) => {
      const chat = b.mount(host);
      const scheme = (host.lastElementChild as HTMLElement).dataset.colorScheme;
      chat.unmount();
      return scheme;
    });
    expect(schemes).toEqual(['auto', 'dark', 'light']);
  });

  test('a listener added to a fork is not heard by chats from the base', () => {
    const heard = vi.fn();
    const base = createAiChat().withAdapter(manualAdapter().adapter);
    base.on('messageSent', heard);
    const chat = base.mount(newHost());
    chat.sendMessage('q');
    expect(heard).not.toHaveBeenCalled();
    chat.unmount();
  });

  test('calling a with* again replaces that setting', () => {
    const host = newHost();
    const chat = createAiChat()
      .withAdapter(manualAdapter().adapter)
      .withComposerOptions({ placeholder: 'first', autoFocus: false })
      .withComposerOptions({ placeholder: 'second' })
      .mount(host);
    expect($<HTMLTextAreaElement>(host, 'textarea').placeholder).toBe('second');
    chat.unmount();
  });

  test('the options object passed in can be changed afterwards without affecting the builder', () => {
    const host = newHost();
    const options = { placeholder: 'original' };
    const builder = createAiChat().withAdapter(manualAdapter().adapter).withComposerOptions(options);
    options.placeholder = 'mutated';
    const chat = builder.mount(host);
    expect($<HTMLTextAreaElement>(host, 'textarea').placeholder).toBe('original');
    chat.unmount();
  });

  test('nested options (a persona, conversation starters) changed afterwards do not affect the builder', () => {
    const host = newHost();
    const persona = { assistant: { name: 'Ada' } };
    const starters = [{ prompt: 'Go' }];
    const builder = createAiChat()
      .withAdapter(manualAdapter().adapter)
      .withPersonaOptions(persona)
      .withConversationOptions({ conversationStarters: starters });
    persona.assistant.name = 'Mallory';
    starters[0]!.prompt = 'Changed';
    starters.push({ prompt: 'Extra' });
    const chat = builder.mount(host);
    expect($(host, '.cw-title').textContent).toBe('Ada');
    expect([...host.querySelectorAll('.cw-starter')].map((b) => b.textContent)).toEqual(['Go']);
    chat.unmount();
  });

  test('withAdapter accepts a builder and calls its create() once, at that call', () => {
    const inner = manualAdapter();
    const create = vi.fn(() => inner.adapter as never);
    const builder = createAiChat().withAdapter({ create });
    expect(create).toHaveBeenCalledTimes(1);
    const chat = builder.mount(newHost());
    chat.sendMessage('q');
    expect(inner.calls).toHaveLength(1);
    chat.unmount();
  });

  test("withAdapter lets a builder's create() error surface at that call", () => {
    const failing = {
      create() {
        throw Object.assign(new Error('no key'), { code: 'missing-api-key' });
      },
    };
    expect(() => createAiChat().withAdapter(failing as never)).toThrow(
      expect.objectContaining({ code: 'missing-api-key' }),
    );
  });

  test('mount() without an adapter, or without an element, throws invalid-config', () => {
    expect(() => createAiChat().mount(newHost())).toThrow(invalid);
    expect(() =>
      createAiChat()
        .withAdapter(manualAdapter().adapter)
        .mount(null as never),
    ).toThrow(invalid);
  });

  test('mount() keeps what the host already contains and adds one root', () => {
    const host = newHost();
    host.append(document.createElement('span'));
    const chat = createAiChat().withAdapter(manualAdapter().adapter).mount(host);
    expect(host.children).toHaveLength(2);
    expect(messages(host)).toHaveLength(0);
    chat.unmount();
    expect(host.children).toHaveLength(1);
  });
});

describe('bad arguments throw invalid-config at the call', () => {
  const b = createAiChat();
  const cases: [string, () => unknown][] = [
    ['withAdapter(null)', () => b.withAdapter(null as never)],
    ['withAdapter({})', () => b.withAdapter({} as never)],
    ['withAdapter(builder whose create() returns junk)', () => b.withAdapter({ create: () => 42 as never })],
    ['withPersonaOptions without a name', () => b.withPersonaOptions({ assistant: {} as never })],
    ['withPersonaOptions unknown key', () => b.withPersonaOptions({ bot: { name: 'x' } } as never)],
    ['historyPayloadSize -1', () => b.withConversationOptions({ historyPayloadSize: -1 })],
    ['historyPayloadSize 1.5', () => b.withConversationOptions({ historyPayloadSize: 1.5 })],
    ['historyPayloadSize "all"', () => b.withConversationOptions({ historyPayloadSize: 'all' as never })],
    ['layout "grid"', () => b.withConversationOptions({ layout: 'grid' as never })],
    [
      'starters without prompt',
      () => b.withConversationOptions({ conversationStarters: [{ label: 'x' } as never] }),
    ],
    ['autoScroll "yes"', () => b.withConversationOptions({ autoScroll: 'yes' as never })],
    ['submitShortcut "Tab"', () => b.withComposerOptions({ submitShortcut: 'Tab' as never })],
    ['placeholder 5', () => b.withComposerOptions({ placeholder: 5 as never })],
    ['colorScheme "blue"', () => b.withDisplayOptions({ colorScheme: 'blue' as never })],
    ['themeId with spaces', () => b.withDisplayOptions({ themeId: 'a b' })],
    ['width NaN', () => b.withDisplayOptions({ width: Number.NaN })],
    ['markdownLinkTarget "_top"', () => b.withMessageOptions({ markdownLinkTarget: '_top' as never })],
    ['htmlSanitizer not a function', () => b.withMessageOptions({ htmlSanitizer: 'x' as never })],
    [
      'initial conversation with a bad role',
      () => b.withInitialConversation([{ role: 'bot', message: 'x' } as never]),
    ],
    ['initial conversation not an array', () => b.withInitialConversation('hi' as never)],
    ['withClassName(3)', () => b.withClassName(3 as never)],
    ['on(unknown event)', () => b.on('message' as never, () => {})],
    ['on(event, not a function)', () => b.on('ready', null as never)],
  ];
  test.each(cases)('%s', (_name, call) => {
    expect(call).toThrow(invalid);
  });
});
