import { el, setLength } from './dom';
import type { ComposerOptions } from './types';
import type { ChatStrings } from './view/strings';

/** The text box and the Send/Stop button. */
export interface Composer {
  root: HTMLElement;
  input: HTMLTextAreaElement;
  /** Applies the options, and the UI text (`send`, `stop`, `messageLabel`) from the chat's table. */
  update(options: ComposerOptions, strings: Pick<ChatStrings, 'send' | 'stop' | 'messageLabel'>): void;
  /** While a reply streams the button reads "Stop" (or is disabled with `hideStopButton`). */
  setBusy(busy: boolean): void;
  clearInput(): void;
}

/**
 * `onSubmit` gets the text the reader wants to send; `onStop` asks to stop the reply in flight.
 * Listeners are tied to `signal`, so unmounting removes them.
 */
export function createComposer(
  onSubmit: (text: string) => void,
  onStop: () => void,
  signal: AbortSignal,
): Composer {
  const root = el('div', 'cw-composer');
  const input = el('textarea', 'cw-input');
  const button = el('button', 'cw-send');
  button.type = 'button';
  input.rows = 1;
  root.append(input, button);
  let options: ComposerOptions = {};
  let words: Pick<ChatStrings, 'send' | 'stop' | 'messageLabel'> = { send: '', stop: '', messageLabel: '' };
  let busy = false;

  const blocked = () => !!options.disableSubmitButton;
  const render = () => {
    const stop = busy && !options.hideStopButton;
    button.textContent = stop ? words.stop : words.send;
    button.disabled = stop ? false : busy || blocked() || !input.value.trim();
  };
  const submit = () => {
    if (busy || blocked() || !input.value.trim()) return;
    onSubmit(input.value);
  };
  // Grow with the text up to the CSS max-height; the height goes through the CSSOM, so no CSP issue.
  const grow = () => {
    setLength(input, 'height', 'auto');
    if (input.scrollHeight) setLength(input, 'height', input.scrollHeight + 2);
  };

  const listen = { signal };
  input.addEventListener(
    'input',
    () => {
      grow();
      render();
    },
    listen,
  );
  input.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape' && busy) {
        event.preventDefault();
        onStop();
        return;
      }
      // An IME commits its text with Enter; that Enter is not a send.
      if (event.key !== 'Enter' || event.isComposing) return;
      const command = event.metaKey || event.ctrlKey;
      const sends = options.submitShortcut === 'CommandEnter' ? command : !event.shiftKey && !command;
      if (!sends) return;
      event.preventDefault();
      submit();
    },
    listen,
  );
  button.addEventListener('click', () => (busy && !options.hideStopButton ? onStop() : submit()), listen);

  return {
    root,
    input,
    update(next, strings) {
      options = next;
      words = strings;
      input.placeholder = next.placeholder ?? '';
      input.setAttribute('aria-label', next.placeholder || strings.messageLabel);
      render();
    },
    setBusy(next) {
      busy = next;
      render();
    },
    clearInput() {
      input.value = '';
      grow();
      render();
    },
  };
}
