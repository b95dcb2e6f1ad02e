import { ChatError, type ChatErrorCode } from '../../src/core/errors';
import type { ChatAdapter, ChatAdapterExtras, StreamingAdapterObserver } from '../../src/core/types';

/** One call the chat made to a test adapter; the test plays the server through `observer`. */
interface AdapterCall {
  message: string;
  observer: StreamingAdapterObserver;
  extras: ChatAdapterExtras;
}

/** A streaming adapter that does nothing on its own: each test decides what arrives and when. */
export function manualAdapter() {
  const calls: AdapterCall[] = [];
  const adapter: ChatAdapter = {
    streamText(message, observer, extras) {
      calls.push({ message, observer, extras: extras ?? {} });
    },
  };
  return { adapter, calls, last: () => calls[calls.length - 1]! };
}

/** Streams `deltas` on microtasks, then completes; aborting reports `aborted` as a real adapter does. */
export function streamingAdapter(deltas: string[]): ChatAdapter & { calls: AdapterCall[] } {
  const calls: AdapterCall[] = [];
  return {
    calls,
    streamText(message, observer, extras = {}) {
      calls.push({ message, observer, extras });
      void (async () => {
        for (const delta of deltas) {
          await Promise.resolve();
          if (extras.signal?.aborted) return observer.error(new ChatError('aborted', 'Aborted'));
          observer.next(delta);
        }
        observer.complete({ text: deltas.join(''), finishReason: 'stop', model: 'test-model' });
      })();
    },
  };
}

/** Streams `partial`, then fails with `code`, as an adapter whose connection breaks would. */
export function failingAdapter(
  code: ChatErrorCode,
  partial = '',
  extra: Record<string, unknown> = {},
): ChatAdapter {
  return {
    streamText(_message, observer) {
      if (partial) observer.next(partial);
      const error = new ChatError(code, `failed with ${code}`, { partialText: partial || undefined });
      observer.error(Object.assign(error, extra));
    },
  };
}

/** Lets queued microtasks and timers run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Waits for the next animation frame (auto-scroll happens there). */
export const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

export function newHost(): HTMLElement {
  document.body.innerHTML = '';
  const host = document.createElement('div');
  document.body.append(host);
  return host;
}

export const $ = <T extends Element = HTMLElement>(root: ParentNode, selector: string) =>
  root.querySelector(selector) as T;
export const $$ = (root: ParentNode, selector: string) => [...root.querySelectorAll<HTMLElement>(selector)];
export const textarea = (root: ParentNode) => $<HTMLTextAreaElement>(root, 'textarea');
export const sendButton = (root: ParentNode) => $<HTMLButtonElement>(root, '.cw-composer button');
export const messages = (root: ParentNode, role?: 'user' | 'assistant') =>
  $$(root, role ? `[data-role="${role}"]` : '[data-role]');

/** Types `text` into the composer as a person would (value, then an input event). */
export function type(root: ParentNode, text: string): HTMLTextAreaElement {
  const input = textarea(root);
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return input;
}

export function press(target: Element, key: string, modifiers: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers });
  target.dispatchEvent(event);
  return event;
}

/** The text of a message's body (without its name and avatar). */
export const body = (message: Element | undefined) =>
  message?.querySelector('.cw-content')?.textContent ?? '';
