// The messages in the log, one article per conversation message, kept in step with the model's changes.
import type { ChatError } from '../../core/errors';
import type { Conversation, ConversationMessage } from '../conversation/types';
import { createMarkdownStream, type MarkdownStream } from '../markdown';
import type { AiChatProps } from '../types';
import { actionsOn, renderReplyActions, renderUserActions } from './actions';
import { createMessageView, createTypingIndicator, type MessageView, renderAvatar } from './message-view';
import { renderErrorNote, renderStoppedNote } from './notes';
import { createReasoningView, type ReasoningView } from './reasoning';
import { createSourcesView } from './sources';
import { type ChatStrings, fill, markdownStringsOf } from './strings';

/**
 * What the list keeps per message:
 * - `message`: the model's latest value of it
 * - `view`: its article
 * - `markdown`: the reply's renderer while it streams
 * - `started`: the first delta arrived (the typing indicator is gone, `messageStreamStarted` was sent)
 * - `typing`: the indicator shown until then
 * - `pending`: a saved reply not rendered yet; its text is there as plain text until it nears the viewport
 * - `reasoning`: the reply's reasoning disclosure, once it has one
 */
interface Entry {
  message: ConversationMessage;
  view: MessageView;
  markdown?: MarkdownStream;
  started: boolean;
  typing?: HTMLElement;
  pending: boolean;
  reasoning?: ReasoningView;
}

/** What the list reads from the chat. */
export interface MessageListContext {
  strings(): ChatStrings;
  props(): AiChatProps;
  persona(role: 'user' | 'assistant'): { name: string; avatar?: string };
  conversation(): Conversation;
  onFeedback(uid: string, value: 'up' | 'down'): void;
  /** After an action that removes its own button (Retry, Regenerate, Save): focus goes to the composer. */
  focusComposer(): void;
  /** Saved messages were rendered or added above: the log's height changed. */
  onRendered(): void;
  signal: AbortSignal;
}

/** The log's messages. Each method takes the model's message and updates its article. */
export interface MessageList {
  add(message: ConversationMessage, index: number): void;
  /** Returns true for a reply's first delta (the moment it started). */
  delta(message: ConversationMessage, delta: string): boolean;
  reasoning(message: ConversationMessage, delta: string): void;
  /** A reply completed or was stopped; returns its view (gone when a stopped reply had no text). */
  finish(message: ConversationMessage): MessageView | undefined;
  fail(message: ConversationMessage, error: ChatError): { view?: MessageView; text: string };
  remove(message: ConversationMessage): void;
  clear(): void;
  /** Shows a whole conversation: the newest replies at once, the rest as they come near the viewport. */
  load(messages: readonly ConversationMessage[]): void;
  /** A turn ended: older notes lose their buttons once the conversation moved on. */
  settle(): void;
  refresh(what: { text: boolean; actions: boolean }): void;
}

// A saved conversation opens with its newest messages rendered in the mounting task, until they fill
// about a screenful (counted in characters, each message's name and margins as 100 more); older ones
// follow as plain text in short tasks and render as they come near the viewport.
const EAGER_CHARS = 1500;
const TASK_BUDGET_MS = 16;

export function createMessageList(log: HTMLElement, context: MessageListContext): MessageList {
  const { signal } = context;
  const entries = new Map<string, Entry>();
  // A reply stopped before its first word leaves the model; its article stays to say "Stopped".
  let ghost: HTMLElement | undefined;
  let streamingId: string | undefined;
  // The opening of a conversation still putting older messages in; a newer load or clear ends it.
  let loading: ReturnType<typeof setTimeout>;
  let loadFrame = 0;

  // The reply's markdown settings, with the renderer's words from the chat's table.
  const markdownOptions = () => ({
    ...context.props().messageOptions,
    strings: markdownStringsOf(context.strings()),
  });

  const renderPersona = (entry: Entry) => {
    const role = entry.message.role === 'user' ? 'user' : 'assistant';
    const { name, avatar } = context.persona(role);
    entry.view.name.textContent = name;
    entry.view.root.setAttribute('aria-label', fill(context.strings().messageFrom, { name }));
    renderAvatar(entry.view.avatar, name, avatar);
  };

  const renderMarkdown = (entry: Entry) => {
    const { content } = entry.view;
    content.textContent = '';
    content.classList.remove('cw-pending');
    const markdown = createMarkdownStream(content, markdownOptions());
    try {
      markdown.push(entry.message.text);
      markdown.end();
    } catch (error) {
      // A throwing highlighter or sanitizer: the reply is still shown, as plain text.
      console.error('chatwire: rendering a reply failed', error);
      content.textContent = entry.message.text;
    }
  };

  const renderActions = (entry: Entry) => {
    const { view, message } = entry;
    const strings = context.strings();
    const on = actionsOn(context.props().messageOptions?.actions);
    const conversation = context.conversation();
    if (message.role === 'user') {
      if (on.edit) {
        renderUserActions(
          view.actions,
          view.content,
          message.text,
          strings,
          (text) => {
            conversation.edit(message.id, text);
            context.focusComposer();
          },
          signal,
        );
      } else view.actions.textContent = '';
      return;
    }
    const finished = message.status === 'complete' || (message.status === 'stopped' && message.text);
    if (!finished) {
      view.actions.textContent = '';
      return;
    }
    renderReplyActions(
      view.actions,
      message.text,
      { ...on, regenerate: on.regenerate && message.status === 'complete' },
      strings,
      {
        regenerate: () => {
          conversation.regenerate(message.id);
          context.focusComposer();
        },
        feedback: (value) => context.onFeedback(message.id, value),
        copy: (text) => navigator.clipboard.writeText(text),
      },
      signal,
    );
  };

  const renderSources = (entry: Entry) => {
    entry.view.after.querySelector('.cw-sources')?.remove();
    const sources = (entry.message.result as { sources?: { url: string; title?: string }[] } | undefined)
      ?.sources;
    if (!Array.isArray(sources)) return;
    const box = createSourcesView(sources, {
      label: context.strings().sources,
      markdown: context.props().messageOptions,
    });
    if (box) entry.view.after.prepend(box);
  };

  const reasoningView = (entry: Entry) => {
    if (!entry.reasoning) {
      const strings = context.strings();
      entry.reasoning = createReasoningView({
        strings: {
          thinking: strings.thinking,
          thoughtFor: (seconds) => fill(strings.thoughtFor, { seconds }),
        },
        markdown: markdownOptions(),
      });
      entry.view.before.append(entry.reasoning.element);
    }
    return entry.reasoning;
  };

  const renderNote = (entry: Entry) => {
    const { message, view } = entry;
    const conversation = context.conversation();
    if (message.status === 'stopped') {
      renderStoppedNote(
        view.note,
        context.strings(),
        {
          onContinue: message.text
            ? () => {
                conversation.send(context.strings().continue);
                context.focusComposer();
              }
            : undefined,
          onRegenerate: () => {
            conversation.regenerate(message.id);
            context.focusComposer();
          },
        },
        signal,
      );
      return '';
    }
    if (message.status === 'failed' && message.error) {
      return renderErrorNote(
        view.note,
        context.strings(),
        message.error,
        () => {
          conversation.retry();
          context.focusComposer();
        },
        signal,
      );
    }
    view.note.textContent = '';
    return '';
  };

  /** The parts a saved message waits for while pending: a reply's markdown, reasoning, sources and note; the buttons. */
  const complete = (entry: Entry) => {
    const { message } = entry;
    entry.pending = false;
    if (message.role === 'assistant') {
      renderMarkdown(entry);
      if (message.reasoning) {
        reasoningView(entry).append(message.reasoning);
        entry.reasoning!.finish(message.reasoningMs);
      }
      renderSources(entry);
      renderNote(entry);
    }
    renderActions(entry);
  };

  /** Builds the article of `message`; when `lazy`, a finished message waits as plain text, without buttons. */
  const build = (message: ConversationMessage, lazy: boolean): Entry | undefined => {
    if (message.role === 'system') return undefined;
    const view = createMessageView(message.role, message.id);
    const streaming = message.status === 'streaming';
    const entry: Entry = { message, view, started: !streaming, pending: lazy && !streaming };
    entries.set(message.id, entry);
    renderPersona(entry);
    if (streaming) {
      entry.typing = createTypingIndicator();
      view.before.append(entry.typing);
      entry.markdown = createMarkdownStream(view.content, markdownOptions());
      view.root.setAttribute('aria-busy', 'true');
      streamingId = message.id;
      return entry;
    }
    // A pending reply is plain text until rendered: cheap to lay out, found by the browser's find-in-page.
    if (message.role === 'user' || entry.pending) view.content.textContent = message.text;
    if (entry.pending) view.content.classList.add('cw-pending');
    else complete(entry);
    return entry;
  };

  // The theme gives each article `content-visibility:auto`, and the browser reports each one it starts
  // drawing (an event sent whether or not anyone listens): a pending message gets its markdown and
  // buttons then, so nothing here scales with the history. A browser without the report renders saved
  // messages at once. Text the reader (or the browser's find) selected stays as it is while selected
  // (`anchorNode` first: asking a selection more can cost a layout).
  const canWait = 'ContentVisibilityAutoStateChangeEvent' in window;
  log.addEventListener(
    'contentvisibilityautostatechange',
    (event) => {
      const root = event.target as HTMLElement;
      const entry = entries.get(root.dataset.uid!);
      if ((event as Event & { skipped: boolean }).skipped || !entry?.pending) return;
      if (getSelection()?.containsNode(root, true)) return;
      complete(entry);
      context.onRendered();
    },
    { capture: true, signal },
  );
  const endStream = (entry: Entry) => {
    entry.typing?.remove();
    entry.typing = undefined;
    entry.reasoning?.finish(entry.message.reasoningMs);
    entry.view.root.setAttribute('aria-busy', 'false');
    if (streamingId === entry.message.id) streamingId = undefined;
    const markdown = entry.markdown;
    entry.markdown = undefined;
    try {
      markdown?.end();
    } catch (error) {
      console.error('chatwire: rendering a reply failed', error);
    }
  };

  const removeGhost = () => {
    ghost?.remove();
    ghost = undefined;
  };

  const list: MessageList = {
    add(message, index) {
      removeGhost();
      const entry = build(message, false);
      if (!entry) return;
      // Before the article of the message that now follows it (an edit puts the new text in place).
      const next = context.conversation().messages[index + 1];
      const before = next && entries.get(next.id)?.view.root;
      if (before?.parentNode === log) log.insertBefore(entry.view.root, before);
      else log.append(entry.view.root);
      if (message.role === 'user') list.settle();
    },
    delta(message, delta) {
      const entry = entries.get(message.id);
      if (!entry) return false;
      entry.message = message;
      const first = !entry.started;
      if (first) {
        entry.started = true;
        entry.typing?.remove();
        entry.typing = undefined;
        // The summary is over once the reply's own text begins.
        entry.reasoning?.finish(message.reasoningMs);
      }
      try {
        entry.markdown?.push(delta);
      } catch (error) {
        // The renderer broke mid-reply: the rest arrives as plain text rather than not at all.
        console.error('chatwire: rendering a reply failed', error);
        const { content } = entry.view;
        content.append(delta);
        entry.markdown = { push: (more) => content.append(more), end() {} };
      }
      return first;
    },
    reasoning(message, delta) {
      const entry = entries.get(message.id);
      if (!entry) return;
      entry.message = message;
      reasoningView(entry).append(delta);
    },
    finish(message) {
      const entry = entries.get(message.id);
      if (!entry) return undefined;
      entry.message = message;
      endStream(entry);
      renderSources(entry);
      renderNote(entry);
      renderActions(entry);
      return entry.view;
    },
    fail(message, error) {
      const entry = entries.get(message.id);
      if (!entry) return { text: '' };
      entry.message = message;
      endStream(entry);
      return { view: entry.view, text: renderNote(entry) || String(error.code) };
    },
    remove(message) {
      const entry = entries.get(message.id);
      if (!entry) return;
      entries.delete(message.id);
      if (streamingId === message.id && context.conversation().busy === false && !entry.started) {
        // Stopped before its first word: the model drops it, the reader still sees that it stopped.
        endStream(entry);
        const user = [...context.conversation().messages].reverse().find((m) => m.role === 'user');
        renderStoppedNote(
          entry.view.note,
          context.strings(),
          {
            onRegenerate: () => {
              removeGhost();
              if (user) context.conversation().edit(user.id, user.text);
              context.focusComposer();
            },
          },
          signal,
        );
        ghost = entry.view.root;
        return;
      }
      entry.view.root.remove();
    },
    clear() {
      cancelAnimationFrame(loadFrame);
      clearTimeout(loading);
      removeGhost();
      entries.clear();
      log.textContent = '';
      streamingId = undefined;
    },
    load(messages) {
      list.clear();
      let next = messages.length - 1;
      let chars = 0;
      // Newest first. In this task, the messages the reader sees on opening, rendered and drawn in full
      // for the first frame (so the log can open at its bottom before the browser knows the height of
      // the rest); older messages wait as plain text, put in the log after that frame in short tasks.
      const take = (more: () => boolean, lazy: boolean) => {
        const roots: HTMLElement[] = [];
        for (; next >= 0 && more(); next--) {
          const message = messages[next]!;
          chars += message.text.length + 100;
          const entry = build(message, lazy);
          if (!entry) continue;
          roots.push(entry.view.root);
        }
        log.prepend(...roots.reverse());
      };
      take(() => chars < EAGER_CHARS, false);
      log.classList.add('cw-eager');
      const rest = () => {
        if (next < 0) return;
        const deadline = performance.now() + TASK_BUDGET_MS;
        take(() => performance.now() < deadline, canWait);
        context.onRendered();
        loading = setTimeout(rest, 0);
      };
      loadFrame = requestAnimationFrame(
        () =>
          (loading = setTimeout(() => {
            log.classList.remove('cw-eager');
            rest();
          }, 0)),
      );
    },
    settle() {
      streamingId = undefined;
      // Only the last message's note keeps its buttons: an older stop or failure is history now.
      const last = log.lastElementChild;
      for (const note of log.querySelectorAll('.cw-note')) {
        if (!last?.contains(note)) for (const b of note.querySelectorAll('button')) b.remove();
      }
    },
    refresh({ text, actions }) {
      for (const entry of entries.values()) {
        renderPersona(entry);
        const { message } = entry;
        if (text && message.role === 'assistant' && message.status !== 'streaming' && !entry.pending) {
          renderMarkdown(entry);
        }
        if (actions && !entry.pending) {
          renderActions(entry);
          if (message.role === 'assistant' && message.status !== 'streaming') renderNote(entry);
        }
      }
    },
  };
  return list;
}
