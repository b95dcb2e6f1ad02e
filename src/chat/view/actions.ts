// The buttons under a finished message: copy, regenerate, feedback on replies; edit on the reader's own.
import { el } from '../dom';
import type { MessageActions } from '../types';
import { button } from './message-view';
import type { ChatStrings } from './strings';

/** What the actions do; the chat supplies them. */
export interface ActionHandlers {
  regenerate(): void;
  feedback(value: 'up' | 'down'): void;
  /** Resolves with the text, or rejects when the browser refuses the clipboard. */
  copy(text: string): Promise<void>;
}

const COPIED_MS = 2000;
const SVG = 'http://www.w3.org/2000/svg';

// A triangle pointing up or down, drawn rather than an emoji: not every system has an emoji font.
function arrow(direction: 'up' | 'down'): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', direction === 'up' ? 'M8 3l6 10H2z' : 'M8 13L2 3h12z');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.5');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}

/** Which actions are on (copy, regenerate and edit by default; feedback only when asked for). */
export const actionsOn = (actions: MessageActions | undefined) => ({
  copy: actions?.copy ?? true,
  regenerate: actions?.regenerate ?? true,
  edit: actions?.edit ?? true,
  feedback: actions?.feedback ?? false,
});

/** Fills `bar` with a reply's actions. `source` is the reply's markdown, which Copy puts on the clipboard. */
export function renderReplyActions(
  bar: HTMLElement,
  source: string,
  on: ReturnType<typeof actionsOn>,
  strings: ChatStrings,
  handlers: ActionHandlers,
  signal: AbortSignal,
): void {
  bar.textContent = '';
  if (on.copy) {
    const copy = button(
      'cw-copy',
      strings.copy,
      () =>
        handlers.copy(source).then(() => {
          copy.textContent = strings.copied;
          setTimeout(() => {
            copy.textContent = strings.copy;
          }, COPIED_MS);
        }, console.error),
      signal,
    );
    bar.append(copy);
  }
  // Only the last reply can be regenerated; CSS hides the button on every other one.
  if (on.regenerate) bar.append(button('cw-regenerate', strings.regenerate, handlers.regenerate, signal));
  if (on.feedback) {
    const thumbs = (value: 'up' | 'down', label: string) => {
      const thumb = button(
        'cw-feedback',
        '',
        () => {
          for (const other of bar.querySelectorAll('.cw-feedback'))
            other.setAttribute('aria-pressed', 'false');
          thumb.setAttribute('aria-pressed', 'true');
          handlers.feedback(value);
        },
        signal,
      );
      thumb.setAttribute('aria-label', label);
      thumb.append(arrow(value));
      thumb.setAttribute('aria-pressed', 'false');
      return thumb;
    };
    bar.append(thumbs('up', strings.goodReply), thumbs('down', strings.badReply));
  }
}

/**
 * Fills `bar` with the Edit button of the reader's message. Editing happens in place: the text becomes a
 * labelled text box with Save and Cancel; Enter saves, Shift+Enter is a new line, Escape cancels, and
 * focus returns to Edit.
 */
export function renderUserActions(
  bar: HTMLElement,
  content: HTMLElement,
  text: string,
  strings: ChatStrings,
  onSave: (text: string) => void,
  signal: AbortSignal,
): void {
  bar.textContent = '';
  const edit = button('cw-edit', strings.edit, () => open(), signal);
  bar.append(edit);
  const open = () => {
    const form = el('div', 'cw-edit-form');
    const input = el('textarea', 'cw-input cw-edit-input');
    input.value = text;
    input.setAttribute('aria-label', strings.editLabel);
    const close = () => {
      form.remove();
      content.hidden = false;
      bar.hidden = false;
      edit.focus();
    };
    const save = () => {
      const value = input.value.trim();
      if (!value) return;
      form.remove();
      content.hidden = false;
      bar.hidden = false;
      onSave(value);
    };
    input.addEventListener(
      'keydown',
      (event) => {
        if (event.key === 'Escape') {
          // Escape here means "stop editing", not "stop the reply".
          event.preventDefault();
          event.stopPropagation();
          close();
        } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          save();
        }
      },
      { signal },
    );
    form.append(
      input,
      button('cw-save', strings.save, save, signal),
      button('cw-cancel', strings.cancel, close, signal),
    );
    content.hidden = true;
    bar.hidden = true;
    content.after(form);
    input.focus();
  };
}
