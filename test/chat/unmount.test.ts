// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import { manualAdapter, newHost, press, sendButton, settle, textarea, type } from './helpers';

const ourSheets = () =>
  document.adoptedStyleSheets.filter((s) => [...s.cssRules].some((r) => r.cssText.includes('.chatwire')));

describe('unmount()', () => {
  test('leaves the host exactly as it was: empty, no attributes added', () => {
    const host = newHost();
    const chat = createAiChat().withAdapter(manualAdapter().adapter).mount(host);
    chat.sendMessage('q');
    chat.unmount();
    expect(host.innerHTML).toBe('');
    expect(host.attributes).toHaveLength(0);
  });

  test('aborts a reply in flight and ignores what the adapter sends afterwards', () => {
    const { adapter, last } = manualAdapter();
    const received = vi.fn();
    const chat = createAiChat().withAdapter(adapter).on('messageReceived', received).mount(newHost());
    chat.sendMessage('q');
    last().observer.next('part');
    chat.unmount();
    expect(last().extras.signal!.aborted).toBe(true);
    last().observer.next('more');
    last().observer.complete();
    expect(received).not.toHaveBeenCalled();
  });

  test("emits 'preDestroy' with the conversation before anything is removed", () => {
    const host = newHost();
    let stillThere = false;
    const preDestroy = vi.fn(() => {
      stillThere = host.querySelector('[role="log"]') !== null;
    });
    const chat = createAiChat()
      .withAdapter(manualAdapter().adapter)
      .withInitialConversation([{ role: 'user', message: 'kept' }])
      .on('preDestroy', preDestroy)
      .mount(host);
    chat.unmount();
    expect(preDestroy).toHaveBeenCalledWith({ conversationHistory: [{ role: 'user', message: 'kept' }] });
    expect(stillThere).toBe(true);
    chat.unmount();
    expect(preDestroy).toHaveBeenCalledTimes(1);
  });

  test('removes its DOM listeners: the detached composer no longer sends', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    const chat = createAiChat().withAdapter(adapter).mount(host);
    const input = textarea(host);
    const button = sendButton(host);
    chat.unmount();
    document.body.append(input, button);
    type(document.body, 'still there?');
    press(input, 'Enter');
    button.disabled = false;
    button.click();
    expect(calls).toHaveLength(0);
  });

  test("no 'ready' after an unmount that comes before it", async () => {
    const ready = vi.fn();
    createAiChat().withAdapter(manualAdapter().adapter).on('ready', ready).mount(newHost()).unmount();
    await settle();
    expect(ready).not.toHaveBeenCalled();
  });

  test('methods called after unmount do nothing and do not throw', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    const chat = createAiChat().withAdapter(adapter).mount(host);
    chat.unmount();
    chat.sendMessage('late');
    chat.stop();
    chat.clear();
    chat.hide();
    chat.updateProps({ composerOptions: { placeholder: 'x' } });
    expect(calls).toHaveLength(0);
    expect(host.innerHTML).toBe('');
  });
});

describe('the stylesheet', () => {
  test('is adopted once for several chats and removed by the last unmount only', () => {
    document.adoptedStyleSheets = [];
    const a = createAiChat().withAdapter(manualAdapter().adapter).mount(newHost());
    const otherHost = document.createElement('div');
    document.body.append(otherHost);
    const b = createAiChat().withAdapter(manualAdapter().adapter).mount(otherHost);
    expect(ourSheets()).toHaveLength(1);
    a.unmount();
    expect(ourSheets()).toHaveLength(1);
    b.unmount();
    expect(ourSheets()).toHaveLength(0);
  });

  test("keeps the page's own adopted sheets", () => {
    const pageSheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [pageSheet];
    const chat = createAiChat().withAdapter(manualAdapter().adapter).mount(newHost());
    expect(document.adoptedStyleSheets).toHaveLength(2);
    chat.unmount();
    expect(document.adoptedStyleSheets).toEqual([pageSheet]);
  });

  test('a chat inside a shadow root adopts the sheet there, not in the document', () => {
    document.adoptedStyleSheets = [];
    const outer = newHost();
    const shadow = outer.attachShadow({ mode: 'open' });
    const inner = document.createElement('div');
    shadow.append(inner);
    const chat = createAiChat().withAdapter(manualAdapter().adapter).mount(inner);
    expect(shadow.adoptedStyleSheets).toHaveLength(1);
    expect(document.adoptedStyleSheets).toHaveLength(0);
    chat.unmount();
    expect(shadow.adoptedStyleSheets).toHaveLength(0);
  });
});
