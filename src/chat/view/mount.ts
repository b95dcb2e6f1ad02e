import { type ChatError, invalidConfig } from '../../core/errors';
import type { ChatAdapter, ChatItem, ChatResult } from '../../core/types';
import { createComposer } from '../composer';
import { el, setLength } from '../dom';
import { createEmitter } from '../emitter';
import { createMarkdownStream, type MarkdownStream } from '../markdown';
import { requestReply } from '../request';
import { adoptTheme } from '../theme/adopt';
import type { AiChat, AiChatEventName, AiChatListener, AiChatProps } from '../types';
import { checkListener, propChecks } from '../validate';
import { actionsOn, renderReplyActions, renderUserActions } from './actions';
import { spokenText } from './announce';
import { createMessageView, createTypingIndicator, type MessageView, renderAvatar } from './message-view';
import { renderErrorNote, renderStoppedNote } from './notes';
import { createScroller } from './scroll';
import { type ChatStrings, englishStrings, fill } from './strings';
import { createWelcome } from './welcome';

/** A builder's settings, already checked. */
export interface ChatConfig extends Omit<AiChatProps, 'adapter'> {
  adapter?: ChatAdapter;
  initialConversation: readonly ChatItem[];
  listeners: readonly (readonly [AiChatEventName, AiChatListener<never>])[];
}

/**
 * One message as the view tracks it:
 * - `uid`: stable id (`data-uid`, event payloads)
 * - `item`: role and text so far
 * - `status`: a reply streams, then is complete, failed or stopped; the reader's messages are complete
 * - `view`: its element (none for system messages)
 */
interface Message {
  uid: string;
  item: ChatItem;
  status: 'streaming' | 'complete' | 'failed' | 'stopped';
  view?: MessageView;
}

/** One reply in flight. */
interface Turn {
  user: Message;
  reply: Message;
  controller: AbortController;
  markdown: MarkdownStream;
  started: boolean;
  typing: HTMLElement;
}

let lastUid = 0;
const nextUid = () => `cw-${Date.now().toString(36)}-${++lastUid}`;

/** Renders a chat into `host` and returns its handle. */
export function mountChat(host: HTMLElement, config: ChatConfig & { adapter: ChatAdapter }): AiChat {
  const props = { ...config };
  let strings: ChatStrings = { ...englishStrings, ...config.strings };
  // Every DOM listener is registered with this signal: unmount removes them all at once.
  const lifetime = new AbortController();
  const signal = lifetime.signal;
  const events = createEmitter();
  for (const [event, callback] of config.listeners) events.on(event, callback);

  const root = el('div');
  const welcome = createWelcome((prompt) => {
    send(prompt);
    composer.input.focus();
  }, signal);
  // The log is not live: tokens would be read one by one. Finished replies are announced by `status`.
  const log = el('div', 'cw-log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'off');
  log.tabIndex = 0;
  const status = el('div', 'cw-sr');
  status.setAttribute('role', 'status');
  const composer = createComposer(
    (text) => {
      composer.clearInput();
      send(text);
      composer.input.focus();
    },
    () => {
      chat.stop();
      composer.input.focus();
    },
    signal,
  );
  const scroller = createScroller(
    log,
    () => props.conversationOptions?.autoScroll !== false,
    strings,
    signal,
  );
  root.append(welcome.root, log, scroller.jump, status, composer.root);

  let messages: Message[] = [];
  let current: Turn | undefined;
  let alive = true;

  // Escape stops a reply from anywhere in the chat (the composer handles its own text box first).
  root.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented || !current) return;
      event.preventDefault();
      chat.stop();
    },
    { signal },
  );

  const persona = (role: 'user' | 'assistant') =>
    role === 'user'
      ? { name: strings.userName, ...props.personaOptions?.user }
      : { name: strings.assistantName, ...props.personaOptions?.assistant };

  const copyText = (text: string) => navigator.clipboard.writeText(text);

  // The buttons under a message, for its status; a message still streaming has none.
  const renderActions = (message: Message) => {
    const { view, item, status } = message;
    if (!view) return;
    const on = actionsOn(props.messageOptions?.actions);
    if (item.role === 'user') {
      if (on.edit) {
        renderUserActions(
          view.actions,
          view.content,
          item.message,
          strings,
          (text) => edit(message, text),
          signal,
        );
      } else view.actions.textContent = '';
      return;
    }
    if (status === 'complete' || (status === 'stopped' && item.message)) {
      renderReplyActions(
        view.actions,
        item.message,
        { ...on, regenerate: on.regenerate && status === 'complete' },
        strings,
        {
          regenerate: () => regenerate(message),
          feedback: (value) => events.emit('feedback', { uid: message.uid, value }),
          copy: copyText,
          edit: () => {},
        },
        signal,
      );
    } else view.actions.textContent = '';
  };

  const renderText = (message: Message) => {
    const { content } = message.view!;
    content.textContent = '';
    if (message.item.role === 'user') content.textContent = message.item.message;
    else {
      const markdown = createMarkdownStream(content, props.messageOptions);
      try {
        markdown.push(message.item.message);
        markdown.end();
      } catch (error) {
        // A throwing highlighter or sanitizer: the reply is still shown, as plain text.
        console.error('chatwire: rendering a reply failed', error);
        content.textContent = message.item.message;
      }
    }
  };

  const renderPersona = (message: Message) => {
    const { name, avatar } = persona(message.item.role as 'user' | 'assistant');
    const view = message.view!;
    view.name.textContent = name;
    view.root.setAttribute('aria-label', fill(strings.messageFrom, { name }));
    renderAvatar(view.avatar, name, avatar);
  };

  const addMessage = (role: ChatItem['role'], text: string, status: Message['status']): Message => {
    const message: Message = { uid: nextUid(), item: { role, message: text }, status };
    messages.push(message);
    if (role !== 'system') {
      message.view = createMessageView(role, message.uid);
      renderPersona(message);
      log.append(message.view.root);
      welcome.root.hidden = true;
    }
    return message;
  };

  const removeMessage = (message: Message) => {
    messages = messages.filter((m) => m !== message);
    message.view?.root.remove();
    welcome.root.hidden = messages.some((m) => m.view);
  };

  const conversation = (upTo = messages.length) =>
    messages
      .slice(0, upTo)
      .filter((m) => m.status === 'complete' || (m.status === 'stopped' && m.item.message))
      .map((m) => ({ role: m.item.role, message: m.item.message }));

  const history = (user: Message) => {
    const items = conversation(messages.indexOf(user));
    const size = props.conversationOptions?.historyPayloadSize ?? 'max';
    // Clamped at 0: a negative start would count from the end (and `slice(-size)` sends all for 0).
    return size === 'max' ? items : items.slice(Math.max(0, items.length - size));
  };

  const setBusy = (turn: Turn, busy: boolean) => {
    const active = root.ownerDocument.activeElement;
    composer.setBusy(busy);
    for (const node of [log, turn.reply.view!.root]) node.setAttribute('aria-busy', String(busy));
    // Stop had focus and Send is now disabled (nothing typed): keep focus in the composer, not on <body>.
    if (!busy && active instanceof HTMLButtonElement && composer.root.contains(active) && active.disabled) {
      composer.input.focus();
    }
  };

  // Ends the turn in the UI; whatever the adapter still sends for it is ignored from here on. Whatever
  // throws while the reply's last block renders (a highlighter, a sanitizer), the busy state is reset.
  const end = (turn: Turn) => {
    current = undefined;
    turn.typing.remove();
    try {
      turn.markdown.end();
    } catch (error) {
      console.error('chatwire: rendering a reply failed', error);
    } finally {
      setBusy(turn, false);
    }
  };

  // Ends the turn in flight, if any, and aborts its request.
  const abortTurn = () => {
    const turn = current;
    if (turn) {
      end(turn);
      turn.controller.abort();
    }
  };

  // An older stopped or failed reply cannot be retried once the conversation has moved on.
  const settleNotes = () => {
    for (const m of messages) for (const b of m.view?.note.querySelectorAll('button') ?? []) b.remove();
  };

  const finish = (turn: Turn, result: ChatResult | undefined, stopped: boolean) => {
    end(turn);
    const { reply } = turn;
    const text = reply.item.message;
    reply.status = stopped ? 'stopped' : 'complete';
    const view = reply.view!;
    if (stopped) {
      renderStoppedNote(
        view.note,
        strings,
        {
          onContinue: text ? () => send(strings.continue) : undefined,
          onRegenerate: () => regenerate(reply),
        },
        signal,
      );
      status.textContent = strings.stopped;
    } else {
      status.textContent = fill(strings.replyAnnouncement, {
        name: persona('assistant').name,
        text: spokenText(view.content),
      });
    }
    renderActions(reply);
    // A reply stopped before its first word has nothing to report.
    if (stopped && !text) return;
    events.emit('messageReceived', {
      uid: reply.uid,
      message: text,
      result: { finishReason: null, ...result, text },
    });
  };

  const fail = (turn: Turn, error: ChatError) => {
    end(turn);
    const { reply, user } = turn;
    reply.status = 'failed';
    const view = reply.view!;
    status.textContent = renderErrorNote(
      view.note,
      strings,
      error,
      () => {
        chat.stop();
        removeMessage(reply);
        ask(user);
        composer.input.focus();
      },
      signal,
    );
    scroller.reveal(view.root);
    events.emit('error', { code: error.code, message: error.message, error });
  };

  const ask = (user: Message) => {
    const reply = addMessage('assistant', '', 'streaming');
    const view = reply.view!;
    const typing = createTypingIndicator();
    view.before.append(typing);
    const controller = new AbortController();
    const turn: Turn = {
      user,
      reply,
      controller,
      markdown: createMarkdownStream(view.content, props.messageOptions),
      started: false,
      typing,
    };
    current = turn;
    setBusy(turn, true);
    const live = () => current === turn;
    requestReply(
      props.adapter,
      user.item.message,
      { conversationHistory: history(user), signal: controller.signal },
      {
        next(delta) {
          if (!live()) return;
          if (!turn.started) {
            turn.started = true;
            typing.remove();
            events.emit('messageStreamStarted', { uid: reply.uid });
          }
          reply.item.message += delta;
          try {
            turn.markdown.push(delta);
          } catch (error) {
            // The renderer broke mid-reply: the rest arrives as plain text rather than not at all.
            console.error('chatwire: rendering a reply failed', error);
            view.content.append(delta);
            turn.markdown = { push: (more) => view.content.append(more), end() {} };
          }
          scroller.follow();
        },
        complete: (result) => live() && finish(turn, result, false),
        // An abort the chat did not start (the adapter's own) is treated like a stop: partial kept.
        error: (error) =>
          live() && (error.code === 'aborted' ? finish(turn, undefined, true) : fail(turn, error)),
      },
    );
  };

  const regenerate = (reply: Message) => {
    const index = messages.indexOf(reply);
    const user = messages
      .slice(0, index)
      .reverse()
      .find((m) => m.item.role === 'user');
    if (!user) return;
    chat.stop();
    for (const m of messages.slice(index)) removeMessage(m);
    ask(user);
    scroller.toBottom();
  };

  const edit = (user: Message, text: string) => {
    chat.stop();
    const index = messages.indexOf(user);
    for (const m of messages.slice(index + 1)) removeMessage(m);
    user.item = { role: 'user', message: text };
    renderText(user);
    renderActions(user);
    events.emit('messageSent', { uid: user.uid, message: text });
    ask(user);
    scroller.toBottom();
  };

  const send = (text: string) => {
    chat.stop();
    settleNotes();
    const user = addMessage('user', text, 'complete');
    renderText(user);
    renderActions(user);
    if (props.conversationOptions?.autoScroll !== false) scroller.toBottom();
    events.emit('messageSent', { uid: user.uid, message: text });
    ask(user);
  };

  const apply = (changed: AiChatProps) => {
    const display = props.displayOptions ?? {};
    root.className =
      `chatwire chatwire--${props.conversationOptions?.layout ?? 'bubbles'} ${props.className ?? ''}`.trim();
    root.dataset.colorScheme = display.colorScheme ?? 'auto';
    if (display.themeId) root.dataset.theme = display.themeId;
    else delete root.dataset.theme;
    setLength(root, 'width', display.width);
    setLength(root, 'height', display.height);
    log.setAttribute('aria-label', strings.conversationLabel);
    composer.update(props.composerOptions ?? {}, strings);
    scroller.setStrings(strings);

    welcome.update(persona('assistant'), props.conversationOptions?.conversationStarters ?? []);
    for (const m of messages) {
      if (!m.view) continue;
      renderPersona(m);
      if (changed.messageOptions && m.status !== 'streaming' && m.item.role === 'assistant') renderText(m);
      if (changed.messageOptions || changed.strings) renderActions(m);
    }
  };

  const chat: AiChat = {
    unmount() {
      if (!alive) return;
      events.emit('preDestroy', { conversationHistory: conversation() });
      alive = false;
      abortTurn();
      scroller.stop();
      lifetime.abort();
      root.remove();
      releaseTheme();
      events.clear();
    },
    updateProps(changes) {
      if (typeof changes !== 'object' || changes === null) throw invalidConfig('updateProps needs an object');
      const next: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        const check = propChecks[key as keyof typeof propChecks];
        if (!check) throw invalidConfig(`updateProps: unknown prop "${key}"`);
        const checked = check(value as never);
        // An option group changes only the options given; the adapter and class name are replaced.
        next[key] =
          key.endsWith('Options') || key === 'strings'
            ? { ...(props[key as keyof AiChatProps] as object), ...(checked as object) }
            : checked;
      }
      if (!alive) return;
      Object.assign(props, next);
      strings = { ...englishStrings, ...props.strings };
      apply(changes);
    },
    hide() {
      root.hidden = true;
    },
    show() {
      root.hidden = false;
    },
    sendMessage(text) {
      if (typeof text !== 'string' || !text.trim()) throw invalidConfig('sendMessage needs some text');
      if (alive) send(text);
    },
    stop() {
      const turn = current;
      if (!turn) return;
      // Finish first: an adapter that reports the abort synchronously then finds the turn already over.
      finish(turn, undefined, true);
      turn.controller.abort();
    },
    clear() {
      abortTurn();
      messages = [];
      log.textContent = '';
      status.textContent = '';
      welcome.root.hidden = false;
    },
    getConversation: () => conversation(),
    on(event, callback) {
      checkListener(event, callback);
      events.on(event, callback as AiChatListener<never>);
      return chat;
    },
    off(event, callback) {
      events.off(event, callback as AiChatListener<never>);
      return chat;
    },
  };

  host.append(root);
  const releaseTheme = adoptTheme(root);
  for (const item of config.initialConversation) {
    const message = addMessage(item.role, item.message, 'complete');
    if (message.view) {
      renderText(message);
      renderActions(message);
    }
  }
  apply({});
  if (props.composerOptions?.autoFocus) composer.input.focus();
  queueMicrotask(() => alive && events.emit('ready', {}));
  return chat;
}
