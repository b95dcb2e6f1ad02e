import { el } from '../dom';
import { isImageUrl } from '../validate';

/** The parts of a message element the chat keeps updating. */
export interface MessageView {
  /** An `<article>` named after who said it, with `data-role` and `data-uid`. */
  root: HTMLElement;
  avatar: HTMLElement;
  name: HTMLElement;
  /** Above the text: the reasoning disclosure goes here. */
  before: HTMLElement;
  /** The text: plain for the reader's messages, markdown for replies. */
  content: HTMLElement;
  /** Under the text: sources, then a note (stopped, failed) with its buttons, then the actions. */
  after: HTMLElement;
  note: HTMLElement;
  actions: HTMLElement;
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

/**
 * A message element. It is an `<article>` so a screen reader can jump message to message; its name
 * (who said it) is set by the chat, which knows the persona. A saved message not rendered yet is the
 * article alone, holding its text (`createMessageView(article)` fills it in later).
 */
export function createArticle(role: 'user' | 'assistant', uid: string): HTMLElement {
  const root = el('article', 'cw-msg');
  root.dataset.role = role;
  root.dataset.uid = uid;
  return root;
}

/** The parts of a message, put in `root` (an article from `createArticle`) in place of what it held. */
export function createMessageView(root: HTMLElement): MessageView {
  const avatar = el('div', 'cw-avatar');
  const bubble = el('div', 'cw-bubble');
  const name = el('div', 'cw-name');
  const before = el('div', 'cw-before');
  const content = el('div', 'cw-content');
  const after = el('div', 'cw-after');
  const note = el('div', 'cw-note');
  const actions = el('div', 'cw-actions');
  after.append(note, actions);
  bubble.append(name, before, content, after);
  root.replaceChildren(avatar, bubble);
  return { root, avatar, name, before, content, after, note, actions };
}

/** Three dots shown in a reply until its first token; the reply's `aria-busy` says the same to a screen reader. */
export function createTypingIndicator(): HTMLElement {
  const dots = el('div', 'cw-typing');
  dots.setAttribute('aria-hidden', 'true');
  dots.append(el('span'), el('span'), el('span'));
  return dots;
}

/** A button whose listener is removed when `signal` aborts. */
export function button(className: string, text: string, onClick: () => void, signal: AbortSignal) {
  const node = el('button', className, text);
  node.type = 'button';
  node.addEventListener('click', onClick, { signal });
  return node;
}
