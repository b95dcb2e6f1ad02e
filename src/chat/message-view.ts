import { el } from './dom';
import { isImageUrl } from './validate';

/** The part of a message element the chat keeps updating. */
export interface MessageView {
  root: HTMLElement;
  avatar: HTMLElement;
  name: HTMLElement;
  content: HTMLElement;
}

/** Fills `slot` with an `<img alt=name>` for a URL, the avatar text itself, or the name's initial. */
export function renderAvatar(slot: HTMLElement, name: string, avatar: string | undefined): void {
  slot.textContent = '';
  if (avatar && isImageUrl(avatar)) {
    const img = el('img');
    img.src = avatar;
    img.alt = name;
    slot.append(img);
    slot.removeAttribute('aria-hidden');
  } else {
    // The name is shown next to it; a letter or emoji would only be read twice.
    slot.textContent = avatar || name.trim().charAt(0).toUpperCase();
    slot.setAttribute('aria-hidden', 'true');
  }
}

export function createMessageView(role: 'user' | 'assistant', uid: string): MessageView {
  const root = el('div', 'cw-msg');
  root.dataset.role = role;
  root.dataset.uid = uid;
  const avatar = el('div', 'cw-avatar');
  const bubble = el('div', 'cw-bubble');
  const name = el('div', 'cw-name');
  const content = el('div', 'cw-content');
  bubble.append(name, content);
  root.append(avatar, bubble);
  return { root, avatar, name, content };
}

/** The failed-reply notice: what went wrong, in words the reader understands, and a Retry button. */
export function createErrorView(text: string, onRetry: () => void, signal: AbortSignal): HTMLElement {
  const box = el('div', 'cw-error');
  const retry = el('button', 'cw-retry', 'Retry');
  retry.type = 'button';
  retry.addEventListener('click', onRetry, { signal });
  box.append(el('span', '', text), retry);
  return box;
}
