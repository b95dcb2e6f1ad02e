// @vitest-environment happy-dom
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AiChatElement, defineAiChatElement } from '../../src/chat/element';
import { $, body, manualAdapter, messages, settle, textarea } from './helpers';

const element = (attributes: Record<string, string> = {}) => {
  document.body.innerHTML = '';
  const chat = document.createElement('ai-chat') as AiChatElement;
  for (const [name, value] of Object.entries(attributes)) chat.setAttribute(name, value);
  return chat;
};
const root = (el: HTMLElement) => el.firstElementChild as HTMLElement;

describe('defineAiChatElement', () => {
  test('registers ai-chat once; defining again returns the same class', () => {
    const first = defineAiChatElement();
    expect(customElements.get('ai-chat')).toBe(first);
    expect(defineAiChatElement()).toBe(first);
    expect(defineAiChatElement('support-chat')).not.toBe(first);
    expect(document.createElement('support-chat')).toBeInstanceOf(customElements.get('support-chat')!);
  });

  test('a name the browser refuses throws invalid-config, and registers nothing', () => {
    for (const name of ['nodash', 'Ai-Chat', '1-chat', 42 as unknown as string]) {
      expect(() => defineAiChatElement(name), String(name)).toThrow(
        expect.objectContaining({ name: 'ChatError', code: 'invalid-config' }),
      );
      expect(customElements.get(String(name))).toBeUndefined();
    }
  });
});

describe('<ai-chat>', () => {
  defineAiChatElement();

  test('with an adapter property, renders the chat in its light DOM and chats', () => {
    const el = element();
    const { adapter, last } = manualAdapter();
    el.adapter = adapter;
    document.body.append(el);
    expect(el.querySelector('[role="log"]')).not.toBeNull();
    el.chat!.sendMessage('hi');
    last().observer.next('hello');
    last().observer.complete();
    expect(messages(el).map((m) => m.dataset.role)).toEqual(['user', 'assistant']);
  });

  test('an adapter set before the element was defined is picked up when it upgrades', () => {
    document.body.innerHTML = '';
    const early = document.createElement('early-chat') as AiChatElement;
    const { adapter, calls } = manualAdapter();
    early.adapter = adapter;
    document.body.append(early);
    defineAiChatElement('early-chat');
    expect(early.querySelector('[role="log"]')).not.toBeNull();
    early.chat!.sendMessage('hi');
    expect(calls).toHaveLength(1);
    expect(early.adapter).toBe(adapter);
  });

  test('without an adapter or url it renders nothing until one is set', () => {
    const el = element();
    document.body.append(el);
    expect(el.childElementCount).toBe(0);
    el.adapter = manualAdapter().adapter;
    expect(el.querySelector('[role="log"]')).not.toBeNull();
  });

  test('placeholder, color-scheme and assistant-name apply at mount and update in place', () => {
    const el = element({ placeholder: 'Ask…', 'color-scheme': 'dark', 'assistant-name': 'Ada' });
    el.adapter = manualAdapter().adapter;
    document.body.append(el);
    const first = root(el);
    expect(textarea(el).placeholder).toBe('Ask…');
    expect(textarea(el).getAttribute('aria-label')).toBe('Ask…');
    expect(first.dataset.colorScheme).toBe('dark');
    expect($(el, '.cw-title').textContent).toBe('Ada');

    el.setAttribute('placeholder', 'Type');
    el.setAttribute('color-scheme', 'light');
    el.setAttribute('assistant-name', 'Bob');
    expect(root(el)).toBe(first);
    expect(textarea(el).placeholder).toBe('Type');
    expect(first.dataset.colorScheme).toBe('light');
    expect($(el, '.cw-title').textContent).toBe('Bob');

    el.removeAttribute('assistant-name');
    el.setAttribute('color-scheme', 'nonsense');
    expect($(el, '.cw-title').textContent).toBe('Assistant');
    expect(first.dataset.colorScheme).toBe('auto');
  });

  test('a new adapter property takes over the next message', () => {
    const el = element();
    const one = manualAdapter();
    const two = manualAdapter();
    el.adapter = one.adapter;
    document.body.append(el);
    el.adapter = two.adapter;
    el.chat!.sendMessage('q');
    expect(one.calls).toHaveLength(0);
    expect(two.calls).toHaveLength(1);
  });

  test('re-dispatches chat events as lower-case CustomEvents with the payload in detail', async () => {
    const el = element();
    const { adapter, calls } = manualAdapter();
    el.adapter = adapter;
    const seen: [string, unknown][] = [];
    for (const name of [
      'ready',
      'messagesent',
      'messagestreamstarted',
      'messagereceived',
      'error',
      'predestroy',
    ]) {
      el.addEventListener(name, (event) => seen.push([name, (event as CustomEvent).detail]));
    }
    document.body.append(el);
    await settle();
    el.chat!.sendMessage('q');
    calls[0]!.observer.next('a');
    calls[0]!.observer.complete();
    el.chat!.sendMessage('again');
    calls[1]!.observer.error(
      Object.assign(new Error('boom'), { code: 'server-error', retryable: true }) as never,
    );
    el.remove();
    await settle();
    expect(seen.map(([name]) => name)).toEqual([
      'ready',
      'messagesent',
      'messagestreamstarted',
      'messagereceived',
      'messagesent',
      'error',
      'predestroy',
    ]);
    expect(seen[3]![1]).toMatchObject({ message: 'a', result: { text: 'a' } });
    expect(seen[5]![1]).toMatchObject({ code: 'server-error' });
  });

  test('removing it unmounts the chat; moving it keeps the conversation', async () => {
    const el = element();
    el.adapter = manualAdapter().adapter;
    document.body.append(el);
    el.chat!.sendMessage('remember me');
    const elsewhere = document.createElement('section');
    document.body.append(elsewhere);
    elsewhere.append(el);
    await settle();
    expect(body(messages(el, 'user')[0])).toBe('remember me');
    el.remove();
    await settle();
    expect(el.innerHTML).toBe('');
    expect(el.chat).toBeUndefined();
  });

  describe('the store attribute', () => {
    test.each([
      ['session', () => sessionStorage],
      ['local', () => localStorage],
    ] as const)(
      'store="%s": a reload (a new element on the same storage) restores the conversation',
      async (kind, storage) => {
        storage().clear();
        const attributes = { store: kind, 'store-key': 'support' };
        const first = element(attributes);
        const { adapter, calls } = manualAdapter();
        first.adapter = adapter;
        document.body.append(first);
        first.chat!.sendMessage('remember me');
        calls[0]!.observer.next('I will.');
        calls[0]!.observer.complete();
        first.remove();
        await settle();
        expect(storage().length).toBe(1);
        expect(storage().key(0)).toMatch(/^support:/);

        const second = element(attributes);
        second.adapter = adapter;
        document.body.append(second);
        await settle();
        expect(messages(second).map(body)).toEqual(['remember me', 'I will.']);
        expect(second.chat!.getConversation()).toEqual([
          { role: 'user', message: 'remember me' },
          { role: 'assistant', message: 'I will.' },
        ]);
        storage().clear();
      },
    );

    test('without store-key, the key is "chatwire"; without store, nothing is saved', async () => {
      sessionStorage.clear();
      const saved = element({ store: 'session' });
      saved.adapter = manualAdapter().adapter;
      document.body.append(saved);
      saved.chat!.sendMessage('q');
      expect(sessionStorage.key(0)).toMatch(/^chatwire:/);
      sessionStorage.clear();
      const unsaved = element();
      unsaved.adapter = manualAdapter().adapter;
      document.body.append(unsaved);
      unsaved.chat!.sendMessage('q');
      expect(sessionStorage.length).toBe(0);
    });

    test('a bad value is an error event (invalid-config) naming the values; the chat still works, unsaved', () => {
      sessionStorage.clear();
      localStorage.clear();
      const el = element({ store: 'cloud' });
      const { adapter, calls } = manualAdapter();
      el.adapter = adapter;
      const errors: CustomEvent[] = [];
      el.addEventListener('error', (event) => errors.push(event as unknown as CustomEvent));
      expect(() => document.body.append(el)).not.toThrow();
      expect(errors).toHaveLength(1);
      expect(errors[0]!.detail).toMatchObject({ code: 'invalid-config' });
      expect(errors[0]!.detail.message).toBe(
        '<ai-chat store="cloud">: expected store="session" or store="local"',
      );
      expect(errors[0]!.detail.error.code).toBe('invalid-config');
      el.chat!.sendMessage('still here');
      calls[0]!.observer.next('yes');
      calls[0]!.observer.complete();
      expect(messages(el).map(body)).toEqual(['still here', 'yes']);
      expect(sessionStorage.length + localStorage.length).toBe(0);
    });

    test('a storage the browser refuses is an error event (storage-error); the chat still works', () => {
      const refused = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
      try {
        const el = element({ store: 'local' });
        el.adapter = manualAdapter().adapter;
        const errors: CustomEvent[] = [];
        el.addEventListener('error', (event) => errors.push(event as unknown as CustomEvent));
        document.body.append(el);
        expect(errors.map((e) => e.detail.code)).toEqual(['storage-error']);
        expect(errors[0]!.detail.message).toContain('localStorage');
        expect(el.querySelector('[role="log"]')).not.toBeNull();
      } finally {
        Object.defineProperty(window, 'localStorage', refused);
      }
    });
  });

  describe('url and model attributes', () => {
    let server: Server;
    let url = '';
    // The backend adapter's default API is Responses (`input`); Chat Completions sends `messages`.
    const bodies: { model?: string; messages?: unknown[]; input?: unknown[] }[] = [];
    beforeAll(async () => {
      // A cross-origin backend as happy-dom's fetch sees it: answers the CORS preflight, then streams text.
      server = createServer((req, res) => {
        const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' };
        if (req.method === 'OPTIONS') {
          res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST' });
          res.end();
          return;
        }
        let raw = '';
        req.on('data', (chunk) => {
          raw += chunk;
        });
        req.on('end', () => {
          bodies.push(JSON.parse(raw));
          res.writeHead(200, { ...cors, 'content-type': 'text/plain; charset=utf-8' });
          res.write('Hello ');
          setTimeout(() => res.end('from the backend'), 10);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test('POST to url with the model, and stream the reply into the chat', async () => {
      const el = element({ url, model: 'gpt-test' });
      document.body.append(el);
      const received = new Promise<CustomEvent>((resolve) =>
        el.addEventListener('messagereceived', (e) => resolve(e as CustomEvent), { once: true }),
      );
      el.chat!.sendMessage('hi');
      const event = await received;
      expect(event.detail.message).toBe('Hello from the backend');
      expect(body(messages(el, 'assistant')[0])).toBe('Hello from the backend');
      expect(bodies.at(-1)!.model).toBe('gpt-test');
      expect(JSON.stringify((bodies.at(-1)!.input ?? bodies.at(-1)!.messages)!.at(-1))).toContain('"hi"');

      el.setAttribute('model', 'gpt-other');
      el.chat!.sendMessage('again');
      await new Promise((resolve) => el.addEventListener('messagereceived', resolve, { once: true }));
      expect(bodies.at(-1)!.model).toBe('gpt-other');
      el.remove();
    });
  });
});
