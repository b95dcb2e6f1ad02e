// The messages in the log, one article per conversation message, kept in step with the model's changes.
import type { ChatError } from '../../core/errors';
import type { Conversation, ConversationMessage } from '../conversation/types';
import { createMarkdownStream, type MarkdownStream } from '../markdown';
import type { AiChatProps } from '../types';
import { actionsOn, renderReplyActions, renderUserActions } from './actions';
import {
  createArticle,
  createMessageView,
  createTypingIndicator,
  type MessageView,
  renderAvatar,
} from './message-view';
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
 * - `reasoning`: the reply's reasoning disclosure, once it has one
 */
interface Entry {
  message: ConversationMessage;
  view: MessageView;
  markdown?: MarkdownStream;
  started: boolean;
  typing?: HTMLElement;
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
  // Saved messages not rendered yet: each an article holding only its text, until it nears the viewport.
  const waiting = new Map<string, { message: ConversationMessage; root: HTMLElement }>();
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

  /** Names the article after who said `message`; returns the persona. */
  const label = (root: HTMLElement, message: ConversationMessage) => {
    const persona = context.persona(message.role === 'user' ? 'user' : 'assistant');
    root.setAttribute('aria-label', fill(context.strings().messageFrom, persona));
    return persona;
  };

  const renderPersona = ({ view, message }: Entry) => {
    const { name, avatar } = label(view.root, message);
    view.name.textContent = name;
    renderAvatar(view.avatar, name, avatar);
  };

  const renderMarkdown = (entry: Entry) => {
    const { content } = entry.view;
    content.textContent = '';
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

  /** Fills `root` with the parts of `message`: a reply's markdown, reasoning, sources and note; the buttons. */
  const render = (message: ConversationMessage, root: HTMLElement) => {
    const view = createMessageView(root);
    const streaming = message.status === 'streaming';
    const entry: Entry = { message, view, started: !streaming };
    entries.set(message.id, entry);
    renderPersona(entry);
    if (streaming) {
      entry.typing = createTypingIndicator();
      view.before.append(entry.typing);
      entry.markdown = createMarkdownStream(view.content, markdownOptions());
      root.setAttribute('aria-busy', 'true');
      streamingId = message.id;
      return;
    }
    if (message.role === 'user') view.content.textContent = message.text;
    else {
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

  /**
   * The article of `message`. When `lazy`, a finished message waits as plain text: cheap to lay out,
   * found by the browser's find-in-page.
   */
  const build = (message: ConversationMessage, lazy: boolean) => {
    if (message.role === 'system') return undefined;
    const root = createArticle(message.role, message.id);
    if (lazy && message.status !== 'streaming') {
      root.textContent = message.text;
      root.classList.add('cw-pending');
      label(root, message);
      waiting.set(message.id, { message, root });
    } else render(message, root);
    return root;
  };

  // The theme gives each article `content-visibility:auto`, and the browser reports each one it starts
  // drawing (an event sent whether or not anyone listens): a waiting message is rendered then, so
  // nothing here scales with the history. A browser without the report renders saved messages at once.
  // Text the reader (or the browser's find) selected stays as it is while selected.
  const canWait = 'ContentVisibilityAutoStateChangeEvent' in window;
  log.addEventListener(
    'contentvisibilityautostatechange',
    (event) => {
      // Sent for every article as the browser decides it is skipped, so that case returns first.
      if ((event as Event & { skipped: boolean }).skipped) return;
      const root = event.target as HTMLElement;
      const waiter = waiting.get(root.dataset.uid!);
      if (!waiter || getSelection()?.containsNode(root, true)) return;
      waiting.delete(waiter.message.id);
      root.classList.remove('cw-pending');
      render(waiter.message, root);
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
      const root = build(message, false);
      if (!root) return;
      // Before the article of the message that now follows it (an edit puts the new text in place).
      const next = context.conversation().messages[index + 1];
      const before = next && (entries.get(next.id)?.view.root ?? waiting.get(next.id)?.root);
      if (before?.parentNode === log) log.insertBefore(root, before);
      else log.append(root);
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
      waiting.get(message.id)?.root.remove();
      waiting.delete(message.id);
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
      waiting.clear();
      log.textContent = '';
      streamingId = undefined;
    },
    load(messages) {
      list.clear();
      let next = messages.length - 1;
      let chars = 0;
      // Newest first. In this task, the messages the reader sees on opening, rendered and always drawn in
      // full (`cw-eager`: the browser would skip them in its first layout, deciding what is on screen only
      // after it), so the log opens at its bottom before the browser knows the height of the rest; older
      // messages wait as plain text, put in the log after the first frame in short tasks.
      const take = (more: () => boolean, lazy: boolean) => {
        const roots: HTMLElement[] = [];
        for (; next >= 0 && more(); next--) {
          const message = messages[next]!;
          chars += message.text.length + 100;
          const root = build(message, lazy);
          if (root) roots.push(root);
        }
        log.prepend(...roots.reverse());
      };
      take(() => chars < EAGER_CHARS, false);
      for (const root of log.children) root.classList.add('cw-eager');
      const rest = () => {
        if (next < 0) return;
        const deadline = performance.now() + TASK_BUDGET_MS;
        take(() => performance.now() < deadline, canWait);
        context.onRendered();
        loading = setTimeout(rest, 0);
      };
      loadFrame = requestAnimationFrame(() => (loading = setTimeout(rest, 0)));
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
      for (const { message, root } of waiting.values()) label(root, message);
      for (const entry of entries.values()) {
        renderPersona(entry);
        const { message } = entry;
        if (text && message.role === 'assistant' && message.status !== 'streaming') renderMarkdown(entry);
        if (actions) {
          renderActions(entry);
          if (message.role === 'assistant' && message.status !== 'streaming') renderNote(entry);
        }
      }
    },
  };
  return list;
}
