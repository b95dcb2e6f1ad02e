// The reasoning disclosure above a reply's text: "Thinking…" while the model's reasoning summary
// streams, then "Thought for N s", collapsed. The summary is markdown, rendered append-only like the reply.
import { el } from '../dom';
import { createMarkdownStream } from '../markdown';
import type { MessageOptions } from '../types';

/** The words the disclosure shows; the chat's strings table supplies them. */
export interface ReasoningStrings {
  /** The button's label while the summary streams, e.g. "Thinking…". */
  thinking: string;
  /** The button's label once reasoning is over, given whole seconds (at least 1), e.g. "Thought for 3 s". */
  thoughtFor: (seconds: number) => string;
}

/** English defaults, for a caller without a strings table. */
export const reasoningStrings: ReasoningStrings = {
  thinking: 'Thinking…',
  thoughtFor: (seconds) => `Thought for ${seconds} s`,
};

/** What `createReasoningView` needs. */
export interface ReasoningViewOptions {
  strings?: ReasoningStrings;
  /** The reply's message options: the summary renders with the same markdown settings. */
  markdown?: MessageOptions;
}

/** One reply's reasoning disclosure. */
export interface ReasoningView {
  /** Goes above the reply's text and outside what the live region reads out. */
  element: HTMLElement;
  /** Appends a piece of the summary (markdown). Ignored after `finish`. */
  append(delta: string): void;
  /**
   * Ends the summary and relabels the button "Thought for N s". `ms` is how long the model reasoned (the
   * reply's `reasoningMs`, so a restored reply shows its real time); without it, the time since the view
   * was created. The panel stays as the reader left it.
   */
  finish(ms?: number): void;
}

let lastId = 0;

/**
 * Creates the disclosure: a real `<button aria-expanded aria-controls>` and the panel it shows and hides.
 * It starts collapsed, so a streaming summary never pushes the reply down unless the reader asks for it.
 */
export function createReasoningView(options: ReasoningViewOptions = {}): ReasoningView {
  const strings = options.strings ?? reasoningStrings;
  const started = Date.now();
  const element = el('div', 'cw-reasoning');
  const button = el('button', 'cw-reasoning-toggle', strings.thinking);
  const panel = el('div', 'cw-reasoning-panel');
  // Ids are per document (or shadow root); a counter keeps several chats' disclosures apart.
  panel.id = `cw-reasoning-${++lastId}`;
  panel.hidden = true;
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', panel.id);
  element.dataset.state = 'thinking';
  element.append(button, panel);

  const markdown = createMarkdownStream(panel, options.markdown);
  let done = false;

  button.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  });

  return {
    element,
    append(delta) {
      if (!done) markdown.push(delta);
    },
    finish(ms = Date.now() - started) {
      if (done) return;
      done = true;
      markdown.end();
      button.textContent = strings.thoughtFor(Math.max(1, Math.round(ms / 1000)));
      element.dataset.state = 'done';
    },
  };
}
