// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import type { ChatAdapter, ChatAdapterExtras } from '../../src/core/types';
import {
  $,
  manualAdapter,
  messages,
  newHost,
  sendButton,
  settle,
  streamingAdapter,
  textarea,
} from './helpers';

let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

describe('mounting', () => {
  test('renders a log, a named textarea and a Send button into the host', () => {
    const host = newHost();
    chat = createAiChat().withAdapter(manualAdapter().adapter).mount(host);
    expect($(host, '[role="log"]')).not.toBeNull();
    expect(textarea(host).getAttribute('aria-label')).toBe('Message');
    expect(sendButton(host).textContent).toBe('Send');
  });

  test("emits 'ready' after mount, also to listeners added right after mount()", async () => {
    const fromBuilder = vi.fn();
    const fromChat = vi.fn();
    chat = createAiChat().withAdapter(manualAdapter().adapter).on('ready', fromBuilder).mount(newHost());
    chat.on('ready', fromChat);
    expect(fromBuilder).not.toHaveBeenCalled();
    await settle();
    expect(fromBuilder).toHaveBeenCalledTimes(1);
    expect(fromChat).toHaveBeenCalledTimes(1);
  });
});

describe('a streamed reply', () => {
  test('shows the user message as text and the reply as it streams, then reports the whole text', async () => {
    const host = newHost();
    const { adapter, last } = manualAdapter();
    const events: [string, unknown][] = [];
    const log = (name: string) => (payload: unknown) => events.push([name, payload]);
    chat = createAiChat()
      .withAdapter(adapter)
      .on('messageSent', log('messageSent'))
      .on('messageStreamStarted', log('messageStreamStarted'))
      .on('messageReceived', log('messageReceived'))
      .mount(host);

    chat.sendMessage('<b>hi</b>');
    const [user] = messages(host, 'user');
    expect(user!.querySelector('.cw-content')!.textContent).toBe('<b>hi</b>');
    expect(user!.querySelector('b')).toBeNull();
    expect(last().message).toBe('<b>hi</b>');

    last().observer.next('Hel');
    last().observer.next('lo');
    const [reply] = messages(host, 'assistant');
    expect(reply!.textContent).toContain('Hello');
    last().observer.complete({ text: 'Hello', finishReason: 'stop', requestId: 'req_1' });

    const userUid = user!.dataset.uid;
    const replyUid = reply!.dataset.uid;
    expect(userUid).not.toBe(replyUid);
    expect(events).toEqual([
      ['messageSent', { uid: userUid, message: '<b>hi</b>' }],
      ['messageStreamStarted', { uid: replyUid }],
      [
        'messageReceived',
        {
          uid: replyUid,
          message: 'Hello',
          result: { text: 'Hello', finishReason: 'stop', requestId: 'req_1' },
        },
      ],
    ]);
    expect(chat.getConversation()).toEqual([
      { role: 'user', message: '<b>hi</b>' },
      { role: 'assistant', message: 'Hello' },
    ]);
  });

  test('an adapter that completes without a result still yields a ChatResult with the text', async () => {
    const received = vi.fn();
    const { adapter, last } = manualAdapter();
    chat = createAiChat().withAdapter(adapter).on('messageReceived', received).mount(newHost());
    chat.sendMessage('q');
    last().observer.next('a');
    last().observer.complete();
    expect(received.mock.calls[0]![0].result).toEqual({ text: 'a', finishReason: null });
  });

  test('the log is not live while streaming; a status region announces only the finished reply', () => {
    const host = newHost();
    const { adapter, last } = manualAdapter();
    chat = createAiChat()
      .withAdapter(adapter)
      .withPersonaOptions({ assistant: { name: 'Ada' } })
      .mount(host);
    const log = $(host, '[role="log"]');
    const status = $(host, '[role="status"]');
    expect(log.getAttribute('aria-live')).toBe('off');
    chat.sendMessage('q');
    expect(log.getAttribute('aria-busy')).toBe('true');
    last().observer.next('partial ');
    expect(status.textContent).toBe('');
    last().observer.next('answer');
    last().observer.complete();
    expect(log.getAttribute('aria-busy')).toBe('false');
    expect(status.textContent).toBe('Ada: partial answer');
  });

  test("the announced reply leaves out code blocks' language labels and Copy buttons", () => {
    const host = newHost();
    const { adapter, last } = manualAdapter();
    chat = createAiChat().withAdapter(adapter).mount(host);
    chat.sendMessage('q');
    last().observer.next('Run:\n\n```js\nlet x = 1;\n```\n');
    last().observer.complete();
    const assistant = messages(host, 'assistant')[0]!;
    expect(assistant.textContent).toContain('Copy');
    const spoken = $(host, '[role="status"]').textContent ?? '';
    expect(spoken).toContain('let x = 1;');
    expect(spoken).not.toContain('Copy');
    expect(spoken).not.toContain('js');
  });

  test('uses batchText when the adapter has no streamText; the reply starts when its text arrives', async () => {
    const host = newHost();
    const started = vi.fn();
    const received = vi.fn();
    const adapter: ChatAdapter = { batchText: async (message) => `echo: ${message}` };
    chat = createAiChat()
      .withAdapter(adapter)
      .on('messageStreamStarted', started)
      .on('messageReceived', received)
      .mount(host);
    chat.sendMessage('ping');
    await settle();
    expect(messages(host, 'assistant')[0]!.textContent).toContain('echo: ping');
    expect(received.mock.calls[0]![0].message).toBe('echo: ping');
    expect(started).toHaveBeenCalledTimes(1);
    expect(started.mock.invocationCallOrder[0]).toBeLessThan(received.mock.invocationCallOrder[0]!);
  });

  test('ignores calls an adapter makes after it completed', () => {
    const received = vi.fn();
    const { adapter, last } = manualAdapter();
    chat = createAiChat().withAdapter(adapter).on('messageReceived', received).mount(newHost());
    chat.sendMessage('q');
    last().observer.next('a');
    last().observer.complete();
    last().observer.next('late');
    last().observer.complete();
    expect(received).toHaveBeenCalledTimes(1);
    expect(chat.getConversation()[1]).toEqual({ role: 'assistant', message: 'a' });
  });
});

describe('historyPayloadSize', () => {
  const history = async (size: number | 'max' | undefined) => {
    const adapter = streamingAdapter(['ok']);
    const builder = createAiChat()
      .withAdapter(adapter)
      .withInitialConversation([
        { role: 'user', message: 'u1' },
        { role: 'assistant', message: 'a1' },
      ]);
    chat = (
      size === undefined ? builder : builder.withConversationOptions({ historyPayloadSize: size })
    ).mount(newHost());
    chat.sendMessage('u2');
    await settle();
    chat.sendMessage('u3');
    await settle();
    return adapter.calls.map((c: { extras: ChatAdapterExtras }) => c.extras.conversationHistory);
  };

  test("defaults to 'max': every earlier item, never the message being sent", async () => {
    const [, third] = await history(undefined);
    expect(third).toEqual([
      { role: 'user', message: 'u1' },
      { role: 'assistant', message: 'a1' },
      { role: 'user', message: 'u2' },
      { role: 'assistant', message: 'ok' },
    ]);
  });

  test('a number sends only that many of the latest items', async () => {
    const [second, third] = await history(1);
    expect(second).toEqual([{ role: 'assistant', message: 'a1' }]);
    expect(third).toEqual([{ role: 'assistant', message: 'ok' }]);
  });

  test('a number larger than the history sends all of it', async () => {
    const [second, third] = await history(3);
    expect(second).toEqual([
      { role: 'user', message: 'u1' },
      { role: 'assistant', message: 'a1' },
    ]);
    expect(third).toEqual([
      { role: 'assistant', message: 'a1' },
      { role: 'user', message: 'u2' },
      { role: 'assistant', message: 'ok' },
    ]);
  });

  test('0 sends no history', async () => {
    const [second] = await history(0);
    expect(second).toEqual([]);
  });
});

describe('listeners', () => {
  test('a listener that throws does not break the chat or other listeners', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const host = newHost();
    const other = vi.fn();
    const { adapter, last } = manualAdapter();
    chat = createAiChat()
      .withAdapter(adapter)
      .on('messageSent', () => {
        throw new Error('listener bug');
      })
      .on('messageSent', other)
      .mount(host);
    chat.sendMessage('q');
    expect(other).toHaveBeenCalled();
    last().observer.next('fine');
    last().observer.complete();
    expect(chat.getConversation()).toHaveLength(2);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  test('an async listener that rejects is reported, not left as an unhandled rejection', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    chat = createAiChat()
      .withAdapter(manualAdapter().adapter)
      .on('messageSent', async () => {
        throw new Error('async listener bug');
      })
      .mount(newHost());
    chat.sendMessage('q');
    await settle();
    expect(error).toHaveBeenCalledWith('chatwire: a "messageSent" listener threw', expect.any(Error));
    error.mockRestore();
  });

  test('off() removes a listener; on() and off() chain', () => {
    const sent = vi.fn();
    chat = createAiChat().withAdapter(manualAdapter().adapter).mount(newHost());
    expect(chat.on('messageSent', sent).off('messageSent', sent)).toBe(chat);
    chat.sendMessage('q');
    expect(sent).not.toHaveBeenCalled();
  });

  test('off() also removes a listener that was given to the builder', () => {
    const sent = vi.fn();
    chat = createAiChat().withAdapter(manualAdapter().adapter).on('messageSent', sent).mount(newHost());
    chat.off('messageSent', sent);
    chat.sendMessage('q');
    expect(sent).not.toHaveBeenCalled();
  });

  test('on() refuses unknown events and non-functions with invalid-config', () => {
    chat = createAiChat().withAdapter(manualAdapter().adapter).mount(newHost());
    expect(() => chat!.on('messageRecieved' as 'ready', () => {})).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(() => chat!.on('ready', 'nope' as unknown as () => void)).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  });
});
