// The notes under a reply that did not finish: "Stopped" with Continue / Regenerate, or what went wrong
// with Retry (disabled while a rate limit counts down, absent when retrying cannot help).
import type { ChatError } from '../../core/errors';
import { el } from '../dom';
import { adviseOn } from './error-text';
import { button } from './message-view';
import { type ChatStrings, fill } from './strings';

/** Fills `note` with "Stopped" and the two ways on; `onContinue` is left out when nothing arrived. */
export function renderStoppedNote(
  note: HTMLElement,
  strings: ChatStrings,
  actions: { onContinue?: () => void; onRegenerate: () => void },
  signal: AbortSignal,
): void {
  note.textContent = '';
  note.className = 'cw-note cw-stopped';
  note.append(el('span', 'cw-note-text', strings.stopped));
  if (actions.onContinue) note.append(button('cw-continue', strings.continue, actions.onContinue, signal));
  note.append(button('cw-regenerate', strings.regenerate, actions.onRegenerate, signal));
}

/**
 * Fills `note` with the reader's words for `error` and, when retrying can help, a Retry button. Returns
 * the text, for the status region. A rate limit with a known delay counts down and enables Retry at 0.
 */
export function renderErrorNote(
  note: HTMLElement,
  strings: ChatStrings,
  error: ChatError,
  onRetry: () => void,
  signal: AbortSignal,
): string {
  const advice = adviseOn(error);
  note.textContent = '';
  note.className = 'cw-note cw-error';
  const text = el('span', 'cw-note-text');
  note.append(text);
  if (advice.waitMs === undefined) {
    text.textContent = strings[advice.key];
    if (advice.retry) note.append(button('cw-retry', strings.retry, onRetry, signal));
    return text.textContent;
  }
  const retry = button('cw-retry', strings.retry, onRetry, signal);
  note.append(retry);
  const until = Date.now() + advice.waitMs;
  const tick = () => {
    const seconds = Math.ceil((until - Date.now()) / 1000);
    retry.disabled = seconds > 0;
    text.textContent = seconds > 0 ? fill(strings.errorRateLimitedIn, { seconds }) : strings.errorRateLimited;
    // The note was re-rendered (a retry, a new message): this countdown is over.
    if (seconds <= 0 || !note.contains(text)) clearInterval(timer);
  };
  const timer = setInterval(tick, 250);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  tick();
  return text.textContent ?? '';
}
