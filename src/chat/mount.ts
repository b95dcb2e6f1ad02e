import { type ChatError, invalidConfig } from '../core/errors';
import type { ChatAdapter, ChatItem, ChatResult } from '../core/types';
import { createComposer } from './composer';
import { el, setLength } from './dom';
import { createEmitter } from './emitter';
import { errorText } from './error-text';
import { createMarkdownStream, type MarkdownStream } from './markdown';
import { createErrorView, createMessageView, type MessageView, renderAvatar } from './message-view';
import { requestReply } from './request';
import { adoptTheme } from './theme/adopt';
import type { AiChat, AiChatEventName, AiChatListener, AiChatProps } from './types';
import { checkListener, propChecks } from './validate';
import { createWelcome } from './welcome';

/** A builder's settings, already checked. */
export interface ChatConfig extends Omit<AiChatProps, 'adapter'> {
  adapter?: ChatAdapter;
  initialConversation: readonly ChatItem[];
  listeners: readonly (readonly [AiChatEventName, AiChatListener<never>])[];
}

interface Message {
  uid: string;
  item: ChatItem;
  /** In the conversation: sent, or a reply that finished (or was stopped). */
  done: boolean;
  view?: MessageView;
  retry?: HTMLElement;
}

/** One reply in flight. */
interface Turn {
  user: Message;
  reply: Message;
  controller: AbortController;
  markdown: MarkdownStream;
}

/** A reply as a screen reader should hear it: without code blocks' language labels and Copy buttons. */
function spokenText(content: HTMLElement): string {
  const copy = content.cloneNode(true) as HTMLElement;
  for (const header of copy.querySelectorAll('.cw-code-header')) header.remove();
  return copy.textContent ?? '';
}

let lastUid = 0;
const nextUid = () => `cw-${Date.now().toString(36)}-${++lastUid}`;

/** Renders a chat into `host` and returns its handle. */
export function mountChat(host: HTMLElement, config: ChatConfig & { adapter: ChatAdapter }): AiChat {
  const props = { ...config };
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
  log.setAttribute('aria-label', 'Conversation');
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
  root.append(welcome.root, log, status, composer.root);

  let messages: Message[] = [];
  let current: Turn | undefined;
  let alive = true;

  // Auto-scroll: follow the reply while the reader is at the bottom; scrolling up pauses it, scrolling
  // back down resumes. Scrolling waits for a frame so a burst of deltas costs one layout, not one each.
  let pinned = true;
  let frame = 0;
  log.addEventListener(
    'scroll',
    () => {
      pinned = log.scrollHeight - log.scrollTop - log.clientHeight <= 24;
    },
    { signal },
  );
  const follow = () => {
    if (frame || props.conversationOptions?.autoScroll === false) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (pinned) log.scrollTop = log.scrollHeight;
    });
  };

  const persona = (role: 'user' | 'assistant') =>
    role === 'user'
      ? { name: 'You', ...props.personaOptions?.user }
      : { name: 'Assistant', ...props.personaOptions?.assistant };

  const renderText = (message: Message) => {
    const { content } = message.view!;
    content.textContent = '';
    if (message.item.role === 'user') content.textContent = message.item.message;
    else {
      const markdown = createMarkdownStream(content, props.messageOptions);
      markdown.push(message.item.message);
      markdown.end();
    }
  };

  const renderPersona = (message: Message) => {
    const { name, avatar } = persona(message.item.role as 'user' | 'assistant');
    message.view!.name.textContent = name;
    renderAvatar(message.view!.avatar, name, avatar);
  };

  const addMessage = (role: ChatItem['role'], text: string, done: boolean): Message => {
    const message: Message = { uid: nextUid(), item: { role, message: text }, done };
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
      .filter((m) => m.done)
      .map((m) => ({ role: m.item.role, message: m.item.message }));

  const history = (user: Message) => {
    const items = conversation(messages.indexOf(user));
    const size = props.conversationOptions?.historyPayloadSize ?? 'max';
    // Clamped at 0: a negative start would count from the end (and `slice(-size)` sends all for 0).
    return size === 'max' ? items : items.slice(Math.max(0, items.length - size));
  };

  const setBusy = (turn: Turn, busy: boolean) => {
    composer.setBusy(busy);
    for (const node of [log, turn.reply.view!.root]) node.setAttribute('aria-busy', String(busy));
  };

  // Ends the turn in the UI; whatever the adapter still sends for it is ignored from here on.
  const end = (turn: Turn) => {
    current = undefined;
    turn.markdown.end();
    setBusy(turn, false);
  };

  // Ends the turn in flight, if any, and aborts its request.
  const abortTurn = () => {
    const turn = current;
    if (turn) {
      end(turn);
      turn.controller.abort();
    }
  };

  const finish = (turn: Turn, result: ChatResult | undefined, stopped: boolean) => {
    end(turn);
    const { reply } = turn;
    const text = reply.item.message;
    if (stopped && !text) return removeMessage(reply);
    reply.done = true;
    status.textContent = `${persona('assistant').name}: ${spokenText(reply.view!.content)}`;
    events.emit('messageReceived', {
      uid: reply.uid,
      message: text,
      result: { finishReason: null, ...result, text },
    });
  };

  const fail = (turn: Turn, error: ChatError) => {
    end(turn);
    const { reply, user } = turn;
    const text = errorText(error);
    const notice = createErrorView(
      text,
      () => {
        chat.stop();
        removeMessage(reply);
        ask(user);
        composer.input.focus();
      },
      signal,
    );
    reply.retry = notice.lastElementChild as HTMLElement;
    reply.view!.content.after(notice);
    status.textContent = text;
    events.emit('error', { code: error.code, message: error.message, error });
  };

  const ask = (user: Message) => {
    const reply = addMessage('assistant', '', false);
    const controller = new AbortController();
    const turn: Turn = {
      user,
      reply,
      controller,
      markdown: createMarkdownStream(reply.view!.content, props.messageOptions),
    };
    current = turn;
    setBusy(turn, true);
    const live = () => current === turn;
    requestReply(
      props.adapter,
      user.item.message,
      { conversationHistory: history(user), signal: controller.signal },
      {
        started: () => events.emit('messageStreamStarted', { uid: reply.uid }),
        next(delta) {
          if (!live()) return;
          reply.item.message += delta;
          turn.markdown.push(delta);
          follow();
        },
        complete: (result) => live() && finish(turn, result, false),
        // An abort the chat did not start (the adapter's own) is treated like a stop: silent, partial kept.
        error: (error) =>
          live() && (error.code === 'aborted' ? finish(turn, undefined, true) : fail(turn, error)),
      },
    );
  };

  const send = (text: string) => {
    chat.stop();
    // An older failed reply cannot be retried once the conversation has moved on.
    for (const m of messages) m.retry?.remove();
    const user = addMessage('user', text, true);
    renderText(user);
    pinned = true;
    follow();
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
    composer.update(props.composerOptions ?? {});

    welcome.update(persona('assistant'), props.conversationOptions?.conversationStarters ?? []);
    for (const m of messages) {
      if (!m.view) continue;
      renderPersona(m);
      if (changed.messageOptions && m.done && m.item.role === 'assistant') renderText(m);
    }
  };

  const chat: AiChat = {
    unmount() {
      if (!alive) return;
      events.emit('preDestroy', { conversationHistory: conversation() });
      alive = false;
      abortTurn();
      cancelAnimationFrame(frame);
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
        next[key] = key.endsWith('Options')
          ? { ...(props[key as keyof AiChatProps] as object), ...(checked as object) }
          : checked;
      }
      if (!alive) return;
      Object.assign(props, next);
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
    const message = addMessage(item.role, item.message, true);
    if (message.view) renderText(message);
  }
  apply({});
  if (props.composerOptions?.autoFocus) composer.input.focus();
  queueMicrotask(() => alive && events.emit('ready', {}));
  return chat;
}
