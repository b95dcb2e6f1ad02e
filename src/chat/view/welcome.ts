import { el } from '../dom';
import type { AssistantPersona, ConversationStarter } from '../types';
import { renderAvatar } from './message-view';

/** The screen shown while the conversation is empty: who the assistant is, and prompts to start with. */
export interface Welcome {
  root: HTMLElement;
  update(assistant: AssistantPersona, starters: readonly ConversationStarter[]): void;
}

/** `onStart` gets the prompt of the starter the reader clicked; listeners are tied to `signal`. */
export function createWelcome(onStart: (prompt: string) => void, signal: AbortSignal): Welcome {
  const root = el('div', 'cw-welcome');
  const avatar = el('div', 'cw-avatar');
  const title = el('p', 'cw-title');
  const tagline = el('p', 'cw-tagline');
  const buttons = el('div', 'cw-starters');
  root.append(avatar, title, tagline, buttons);
  return {
    root,
    update(assistant, starters) {
      renderAvatar(avatar, assistant.name, assistant.avatar);
      title.textContent = assistant.name;
      tagline.textContent = assistant.tagline ?? '';
      tagline.hidden = !assistant.tagline;
      buttons.textContent = '';
      for (const { prompt, label } of starters) {
        const button = el('button', 'cw-starter', label ?? prompt);
        button.type = 'button';
        button.addEventListener('click', () => onStart(prompt), { signal });
        buttons.append(button);
      }
    },
  };
}
