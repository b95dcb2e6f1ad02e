import { invalidConfig } from '../../core/errors';
import type { ChatAdapter, ChatItem } from '../../core/types';
import { createConversation } from '../conversation/create-conversation';
import type { Conversation, ConversationChange, ConversationStore } from '../conversation/types';
import { el, setLength } from '../dom';
import { createEmitter } from '../emitter';
import { adoptTheme } from '../theme/adopt';
import type { AiChat, AiChatEventName, AiChatListener, AiChatProps } from '../types';
import { checkListener, propChecks } from '../validate';
import { spokenText } from './announce';
import { createComposer } from './composer';
import { liveAdapter } from './live-adapter';
import { createMessageList, type MessageList } from './message-list';
import { createScroller } from './scroll';
import { type ChatStrings, englishStrings, fill } from './strings';
import { createWelcome } from './welcome';

/** A builder's settings, already checked. */
export interface ChatConfig extends Omit<AiChatProps, 'adapter'> {
  adapter?: ChatAdapter;
  initialConversation: readonly ChatItem[];
  listeners: readonly (readonly [AiChatEventName, AiChatListener<never>])[];
  store?: ConversationStore;
}

let lastId = 0;
const newConversationId = () => `c-${Date.now().toString(36)}-${++lastId}`;

/**
 * Renders a chat into `host` and returns its handle. The chat is a view of a conversation model
 * (`createConversation`): the reader's actions call the model, and the view redraws from the changes
 * the model reports.
 */
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
    conversation.send(prompt);
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
      conversation.send(text);
      composer.input.focus();
    },
    () => {
      chat.stop();
      composer.input.focus();
    },
    signal,
  );
  const autoScroll = () => props.conversationOptions?.autoScroll !== false;
  const scroller = createScroller(log, autoScroll, strings, signal);
  root.append(welcome.root, log, scroller.jump, status, composer.root);

  const adapter = liveAdapter(
    () => props.adapter,
    () => props.conversationOptions?.historyPayloadSize,
  );
  let conversation: Conversation;
  let unsubscribe = () => {};
  let alive = true;

  const persona = (role: 'user' | 'assistant') =>
    role === 'user'
      ? { name: strings.userName, ...props.personaOptions?.user }
      : { name: strings.assistantName, ...props.personaOptions?.assistant };

  const list: MessageList = createMessageList(log, {
    strings: () => strings,
    props: () => props,
    persona,
    signal,
    conversation: () => conversation,
    onFeedback: (uid, value) => events.emit('feedback', { uid, value }),
    focusComposer: () => composer.input.focus(),
    onRendered: () => scroller.follow(),
  });

  // The composer keeps focus off <body> when a focused Stop turns into a disabled Send.
  const setBusy = (busy: boolean) => {
    composer.setBusy(busy);
    log.setAttribute('aria-busy', String(busy));
  };

  const showWelcome = () => {
    welcome.root.hidden = conversation.messages.some((m) => m.role !== 'system');
  };

  // The view's half of each change. Events the page hears are emitted here, after the DOM shows it.
  const onChange = (change: ConversationChange) => {
    switch (change.type) {
      case 'added': {
        list.add(change.message, change.index);
        showWelcome();
        scroller.follow();
        if (change.message.role === 'user') {
          if (autoScroll()) scroller.toBottom();
          events.emit('messageSent', { uid: change.message.id, message: change.message.text });
        }
        return;
      }
      case 'delta':
        if (list.delta(change.message, change.delta)) {
          events.emit('messageStreamStarted', { uid: change.message.id });
        }
        scroller.follow();
        return;
      case 'reasoning-delta':
        list.reasoning(change.message, change.delta);
        scroller.follow();
        return;
      case 'completed': {
        const { message } = change;
        const view = list.finish(message);
        // The note and the actions under it add height after the last delta.
        scroller.follow();
        status.textContent =
          message.status === 'stopped'
            ? strings.stopped
            : fill(strings.replyAnnouncement, {
                name: persona('assistant').name,
                text: view ? spokenText(view.content) : message.text,
              });
        events.emit('messageReceived', {
          uid: message.id,
          message: message.text,
          result: { finishReason: null, ...message.result, text: message.text },
        });
        return;
      }
      case 'failed': {
        const { view, text } = list.fail(change.message, change.error);
        status.textContent = text;
        if (view) scroller.reveal(view.root);
        events.emit('error', { code: change.error.code, message: change.error.message, error: change.error });
        return;
      }
      case 'removed':
        list.remove(change.message);
        showWelcome();
        return;
      case 'cleared':
        list.clear();
        status.textContent = '';
        showWelcome();
        return;
      case 'loaded':
        list.load(change.messages);
        showWelcome();
        if (autoScroll()) scroller.toBottom();
        return;
      case 'busy':
        if (!change.busy) list.settle();
        setBusy(change.busy);
        return;
      case 'error':
        events.emit('error', { code: change.error.code, message: change.error.message, error: change.error });
        return;
    }
  };

  /** Shows `next` in place of the current conversation (which stops, keeping what it has saved). */
  const open = (next: Conversation) => {
    unsubscribe();
    conversation?.stop();
    conversation = next;
    unsubscribe = next.subscribe(onChange);
    list.load(next.messages);
    setBusy(next.busy);
    showWelcome();
    if (autoScroll()) scroller.toBottom();
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
    list.refresh({ text: !!changed.messageOptions, actions: !!(changed.messageOptions || changed.strings) });
  };

  // Escape stops a reply from anywhere in the chat (the composer and the editor handle theirs first).
  root.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented || !conversation.busy) return;
      event.preventDefault();
      chat.stop();
    },
    { signal },
  );

  const chat: AiChat = {
    unmount() {
      if (!alive) return;
      events.emit('preDestroy', { conversationHistory: conversation.items() });
      alive = false;
      unsubscribe();
      conversation.stop();
      scroller.stop();
      list.clear();
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
        // An option group (and the strings table) changes only the keys given; the adapter and class
        // name are replaced.
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
      if (alive) conversation.send(text);
    },
    stop() {
      conversation.stop();
    },
    clear() {
      conversation.clear();
    },
    getConversation: () => conversation.items(),
    loadConversation(id) {
      if (typeof id !== 'string' || !id) throw invalidConfig('loadConversation needs an id');
      if (!config.store) throw invalidConfig('loadConversation needs withConversationStore()');
      if (!alive) return Promise.resolve();
      const next = createConversation(adapter, { store: config.store, id });
      open(next);
      return next.ready;
    },
    newConversation() {
      const id = newConversationId();
      if (alive) open(createConversation(adapter, { store: config.store, id }));
      return id;
    },
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
  open(
    createConversation(adapter, {
      store: config.store,
      initialMessages: [...config.initialConversation],
    }),
  );
  apply({});
  if (props.composerOptions?.autoFocus) composer.input.focus();
  queueMicrotask(() => alive && events.emit('ready', {}));
  return chat;
}
