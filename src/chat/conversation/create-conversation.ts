import { type ChatError, invalidConfig } from '../../core/errors';
import type { AdapterBuilder, ChatAdapter, ChatItem, ChatResult } from '../../core/types';
import { DEFAULT_MAX_HISTORY_BYTES, type HistoryLimits, selectHistory } from './history';
import { requestReply } from './request-reply';
import { fromStored, storageError, toStored } from './stored-format';
import type {
  Conversation,
  ConversationChange,
  ConversationListener,
  ConversationMessage,
  ConversationStore,
  CreateConversationOptions,
  MaybePromise,
} from './types';

// While a reply streams it is saved at most this often (a reload then keeps all but the last second of
// it); every turn's start and end is saved at once.
const SAVE_INTERVAL_MS = 1000;

/** The reply in flight. */
interface Turn {
  replyId: string;
  controller: AbortController;
}

let lastId = 0;
const newId = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${(++lastId).toString(36)}`;

const isThenable = <T>(value: MaybePromise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

/** Runs `fn` on `value` now when it is a value, once it resolves when it is a promise. */
const after = <T, R>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<R>): MaybePromise<R> =>
  isThenable(value) ? value.then(fn) : fn(value);

const message = (
  role: ChatItem['role'],
  text: string,
  status: ConversationMessage['status'] = 'complete',
  id = newId('m-'),
): ConversationMessage => Object.freeze({ id, role, text, status });

/**
 * A conversation with no DOM: the messages, the reply in flight (one at a time), the history sent with
 * each message, and saving to `options.store`. A page renders it by subscribing; the chat UI is one such
 * subscriber. Accepts a builder in place of the adapter (its `create()` is called now).
 *
 * Saving: when a turn starts (the user message is kept even if the page closes mid-reply), at most once
 * a second while a reply streams, when a reply ends in any way, on `clear()`, and on `save()`.
 */
export function createConversation(
  adapter: ChatAdapter | AdapterBuilder,
  options: CreateConversationOptions = {},
): Conversation {
  const source = checkAdapter(adapter);
  const { store, initialMessages = [] } = options;
  const limits = checkLimits(options);
  checkOptions(options);

  let id = options.id ?? newId('c-');
  let list: ConversationMessage[] = initialMessages.map((item) => message(item.role, item.message));
  let frozen: readonly ConversationMessage[] | undefined;
  let turn: Turn | undefined;
  let loaded = !store;
  // Restored messages replace the initial ones; anything sent before an async restore settles is kept after them.
  const initialIds = new Set(list.map((m) => m.id));
  const listeners = new Set<ConversationListener>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  const emit = (change: ConversationChange) => {
    // A copy: a listener may subscribe or unsubscribe while a change is delivered.
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        console.error(`chatwire: a conversation listener threw on "${change.type}"`, error);
      }
    }
  };
  const reportStorage = (error: unknown) => {
    const change: ConversationChange = {
      type: 'error',
      error:
        (error as ChatError)?.code === 'storage-error'
          ? (error as ChatError)
          : storageError('The conversation store failed', error),
    };
    // A restore that fails while `createConversation` runs is reported on the next microtask, so a
    // listener subscribed right after creating the conversation hears it.
    if (loaded) emit(change);
    else queueMicrotask(() => emit(change));
  };

  const changed = () => {
    frozen = undefined;
  };
  const indexOf = (messageId: string) => {
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.id === messageId) return i;
    return -1;
  };
  const replace = (next: ConversationMessage) => {
    list[indexOf(next.id)] = Object.freeze(next);
    changed();
    return list[indexOf(next.id)]!;
  };
  const add = (added: ConversationMessage) => {
    const index = list.push(added) - 1;
    changed();
    emit({ type: 'added', message: added, index });
  };
  const removeFrom = (index: number) => {
    const removed = list.splice(index);
    changed();
    for (const m of removed) emit({ type: 'removed', message: m });
  };
  const items = (upTo = list.length): ChatItem[] =>
    list
      .slice(0, upTo)
      .filter((m) => m.status === 'complete' || m.status === 'stopped')
      .map((m) => ({ role: m.role, message: m.text }));

  // ── saving ──
  const write = (): MaybePromise<void> => {
    try {
      return after(list.length ? store!.save(toStored(id, list)) : store!.remove(id), () => {});
    } catch (error) {
      reportStorage(error);
    }
  };
  // One write at a time, in order: an async store must never finish an older save after a newer one.
  // Until the saved conversation is restored, nothing is written over it.
  const save = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (!store) return Promise.resolve();
    if (!loaded) return ready.then(save);
    if (saving) {
      queued ??= saving.then(() => {
        queued = undefined;
        return save();
      });
      return queued;
    }
    const pending = write();
    if (!isThenable(pending)) return Promise.resolve();
    saving = pending.then(undefined, reportStorage).finally(() => {
      saving = undefined;
    });
    return saving;
  };
  const saveSoon = () => {
    if (store && !timer) timer = setTimeout(save, SAVE_INTERVAL_MS);
  };

  // ── turns ──
  // Every way a turn ends comes through here: the turn is over before any listener hears of it, so a
  // listener that throws (or calls back in) finds the conversation idle.
  const end = (
    current: Turn,
    change?: 'completed' | 'failed' | 'removed',
    fields?: Partial<ConversationMessage>,
  ) => {
    turn = undefined;
    const index = indexOf(current.replyId);
    if (change === 'removed') removeFrom(index);
    else if (change) {
      const ended = replace({ ...list[index]!, ...fields });
      emit(
        change === 'failed'
          ? { type: 'failed', message: ended, error: ended.error! }
          : { type: 'completed', message: ended },
      );
    }
    emit({ type: 'busy', busy: false });
    void save();
  };

  const stopTurn = (current: Turn) => {
    const { text } = list[indexOf(current.replyId)]!;
    end(current, text ? 'completed' : 'removed', { status: 'stopped', result: { text, finishReason: null } });
  };

  /** Drops a reply in flight without a word: it is about to be removed with what follows it. */
  const abandon = () => {
    const current = turn;
    if (!current) return;
    turn = undefined;
    current.controller.abort();
    emit({ type: 'busy', busy: false });
  };

  const ask = (userIndex: number) => {
    const user = list[userIndex]!;
    const history = selectHistory(items(userIndex), user.text, limits);
    const reply = message('assistant', '', 'streaming');
    const current: Turn = { replyId: reply.id, controller: new AbortController() };
    turn = current;
    add(reply);
    emit({ type: 'busy', busy: true });
    void save();
    const live = () => turn === current;
    const grow = (field: 'text' | 'reasoning', delta: string) => {
      const before = list[indexOf(reply.id)]!;
      const grown = replace({ ...before, [field]: (before[field] ?? '') + delta });
      emit({ type: field === 'text' ? 'delta' : 'reasoning-delta', message: grown, delta });
      saveSoon();
    };
    requestReply(
      source,
      user.text,
      { conversationHistory: history, signal: current.controller.signal },
      {
        next: (delta) => live() && grow('text', delta),
        reasoning: (delta) => live() && grow('reasoning', delta),
        complete(result) {
          if (!live()) return;
          const { text, reasoning: streamed } = list[indexOf(reply.id)]!;
          // A batch adapter (or one that sends no deltas) may carry the reasoning in its result only.
          const given = (result as (ChatResult & { reasoning?: unknown }) | undefined)?.reasoning;
          const reasoning = streamed ?? (typeof given === 'string' ? given : undefined);
          end(current, 'completed', {
            status: 'complete',
            result: { finishReason: null, ...result, text },
            ...(reasoning !== undefined && { reasoning }),
          });
        },
        error(error) {
          if (!live()) return;
          // An abort the conversation did not start (the adapter's own) is a stop: silent, partial kept.
          if (error.code === 'aborted') return stopTurn(current);
          const { text } = list[indexOf(reply.id)]!;
          end(current, 'failed', { status: 'failed', error, text: text || error.partialText || '' });
        },
      },
    );
  };

  const checkedIndex = (messageId: unknown, role: 'user' | 'assistant', call: string) => {
    const index = typeof messageId === 'string' ? indexOf(messageId) : -1;
    if (index < 0 || list[index]!.role !== role)
      throw invalidConfig(`${call}: no ${role} message with id "${String(messageId)}"`);
    return index;
  };
  const checkText = (text: unknown, call: string) => {
    if (typeof text !== 'string' || !text.trim()) throw invalidConfig(`${call} needs some text`);
  };

  const conversation: Conversation = {
    get id() {
      return id;
    },
    get messages() {
      frozen ??= Object.freeze(list.slice());
      return frozen;
    },
    get busy() {
      return turn !== undefined;
    },
    get ready() {
      return ready;
    },
    send(text) {
      checkText(text, 'send');
      conversation.stop();
      add(message('user', text));
      ask(list.length - 1);
    },
    stop() {
      const current = turn;
      if (!current) return;
      // Ended first: an adapter that reports the abort synchronously then finds the turn already over.
      stopTurn(current);
      current.controller.abort();
    },
    retry() {
      const last = list[list.length - 1];
      if (turn || last?.role !== 'assistant' || last.status !== 'failed') return;
      const user = list.map((m) => m.role).lastIndexOf('user');
      if (user < 0) return;
      removeFrom(list.length - 1);
      ask(user);
    },
    regenerate(messageId) {
      const index = checkedIndex(messageId, 'assistant', 'regenerate');
      const user = list
        .slice(0, index)
        .map((m) => m.role)
        .lastIndexOf('user');
      if (user < 0) throw invalidConfig('regenerate: no user message comes before that reply');
      abandon();
      removeFrom(index);
      ask(user);
    },
    edit(messageId, text) {
      const index = checkedIndex(messageId, 'user', 'edit');
      checkText(text, 'edit');
      abandon();
      removeFrom(index);
      add(message('user', text));
      ask(index);
    },
    clear() {
      abandon();
      list = [];
      changed();
      emit({ type: 'cleared' });
      void save();
    },
    save,
    items: () => items(),
    subscribe(listener) {
      if (typeof listener !== 'function') throw invalidConfig('subscribe needs a function');
      const entry: ConversationListener = (change) => listener(change);
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  };

  // ── restoring ──
  const restore = (data: unknown) => {
    if (data === undefined || data === null) return;
    try {
      const restored = fromStored(data, id);
      list = [...restored, ...list.filter((m) => !initialIds.has(m.id))];
      changed();
      emit({ type: 'loaded', messages: conversation.messages });
    } catch (error) {
      reportStorage(error);
    }
  };
  const settle = () => {
    loaded = true;
  };
  let pending: MaybePromise<void> | undefined;
  if (store) {
    try {
      pending = after(
        options.id === undefined ? after(store.list(), (saved) => saved[0]?.id) : options.id,
        (latest) => {
          if (latest === undefined) return;
          id = latest;
          return after(store.load(latest), restore);
        },
      );
    } catch (error) {
      reportStorage(error);
    }
  }
  const ready = isThenable(pending)
    ? pending.then(settle, (error) => {
        settle();
        reportStorage(error);
      })
    : Promise.resolve(settle());
  return conversation;
}

function checkAdapter(adapter: ChatAdapter | AdapterBuilder): ChatAdapter {
  const candidate =
    adapter &&
    typeof (adapter as AdapterBuilder).create === 'function' &&
    !('streamText' in adapter || 'batchText' in adapter)
      ? (adapter as AdapterBuilder).create()
      : (adapter as ChatAdapter);
  if (
    !candidate ||
    (typeof candidate.streamText !== 'function' && typeof candidate.batchText !== 'function')
  ) {
    throw invalidConfig('createConversation needs an adapter with streamText or batchText');
  }
  return candidate;
}

function checkLimits({
  historyPayloadSize = 'max',
  maxHistoryBytes = DEFAULT_MAX_HISTORY_BYTES,
}: CreateConversationOptions): HistoryLimits {
  if (historyPayloadSize !== 'max' && !(Number.isInteger(historyPayloadSize) && historyPayloadSize >= 0)) {
    throw invalidConfig("historyPayloadSize must be a whole number of 0 or more, or 'max'");
  }
  if (
    !(
      maxHistoryBytes === Number.POSITIVE_INFINITY ||
      (Number.isInteger(maxHistoryBytes) && maxHistoryBytes >= 0)
    )
  ) {
    throw invalidConfig('maxHistoryBytes must be a whole number of bytes (0 or more), or Infinity');
  }
  return { count: historyPayloadSize, bytes: maxHistoryBytes };
}

function checkOptions({ store, id, initialMessages }: CreateConversationOptions): void {
  const methods: (keyof ConversationStore)[] = ['load', 'save', 'list', 'remove'];
  if (store !== undefined && !methods.every((name) => typeof store?.[name] === 'function')) {
    throw invalidConfig('store needs load, save, list and remove methods');
  }
  if (id !== undefined && (typeof id !== 'string' || !id))
    throw invalidConfig('id must be a non-empty string');
  if (
    initialMessages !== undefined &&
    !(
      Array.isArray(initialMessages) &&
      initialMessages.every(
        (item) => ['user', 'assistant', 'system'].includes(item?.role) && typeof item.message === 'string',
      )
    )
  ) {
    throw invalidConfig('initialMessages must be an array of { role, message }');
  }
}
