import { el, setLength } from '../dom';
import type { ComposerOptions } from '../types';
import type { ChatStrings } from './strings';

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
 * How long a fresh Stop ignores clicks. Send turns into Stop under the pointer, so the second click of a
 * double-click (or a double-tap) would otherwise stop the reply it just asked for; 500 ms is the usual
 * double-click interval.
 */
const stopGuardMs = 500;

// A phone's or tablet's on-screen keyboard: Enter there is the only way to start a new line, so it does
// not send and the Send button does. Asked at each use: a tablet may gain or lose a keyboard and mouse.
const touchFirst = () => typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;

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
  let showingStop = false;
  let stopShownAt = 0;

  const blocked = () => !!options.disableSubmitButton;
  const showsStop = () => busy && !options.hideStopButton;
  const render = () => {
    const stop = showsStop();
    if (stop && !showingStop) stopShownAt = performance.now();
    showingStop = stop;
    button.textContent = stop ? words.stop : words.send;
    const disabled = stop ? false : busy || blocked() || !input.value.trim();
    // A focused button that gets disabled drops focus to <body> (a reply ending while Stop has focus):
    // the text box is where the reader goes next.
    if (
      disabled &&
      !button.disabled &&
      (root.getRootNode() as Document | ShadowRoot).activeElement === button
    )
      input.focus();
    button.disabled = disabled;
  };
  const sendsOnEnter = () => options.submitShortcut !== 'CommandEnter' && !touchFirst();
  const submit = () => {
    if (busy || blocked() || !input.value.trim()) return;
    onSubmit(input.value);
  };
  // Grow with the text up to the CSS max-height; the height goes through the CSSOM, so no CSP issue.
  // The theme makes the box border-box, and scrollHeight already counts the padding: adding only the
  // borders keeps one line one line high (counting padding twice made it jump on the first keystroke).
  const grow = () => {
    setLength(input, 'height', 'auto');
    const borders = input.offsetHeight - input.clientHeight;
    if (input.scrollHeight) setLength(input, 'height', input.scrollHeight + borders);
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
      const sends = command || (sendsOnEnter() && !event.shiftKey);
      if (!sends) return;
      event.preventDefault();
      submit();
    },
    listen,
  );
  button.addEventListener(
    'click',
    () => {
      if (!showsStop()) submit();
      else if (performance.now() - stopShownAt >= stopGuardMs) onStop();
    },
    listen,
  );

  return {
    root,
    input,
    update(next, strings) {
      options = next;
      words = strings;
      input.placeholder = next.placeholder ?? '';
      input.setAttribute('aria-label', next.placeholder || strings.messageLabel);
      // The on-screen keyboard labels its Enter key with what it does.
      input.setAttribute('enterkeyhint', sendsOnEnter() ? 'send' : 'enter');
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
