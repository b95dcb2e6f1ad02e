import { check, checkText, isChatItem } from '../../adapters/validate';
import { ChatError, invalidConfig } from '../../core/errors';
import { notify } from '../../core/notify';
import type { AdapterBuilder, ChatAdapter, ChatItem } from '../../core/types';
import { DEFAULT_MAX_HISTORY_BYTES, selectHistory } from './history';
import { requestReply } from './request-reply';
import { fromStored, toStored } from './stored-format';
import { toChatError } from './to-chat-error';
import type {
  Conversation,
  ConversationChange,
  ConversationListener,
  ConversationMessage,
  CreateConversationOptions,
  MaybePromise,
} from './types';

let lastId = 0;
// The counter keeps ids unique within a page's life; the random part (after a dot) across reloads and
// tabs.
const newId = (prefix: string) => prefix + ++lastId + Math.random().toString(36).slice(1);

const isThenable = <T>(value: MaybePromise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

/** Runs `fn` on `value` now when it is a value, once it resolves when it is a promise. */
const after = <T, R>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<R>): MaybePromise<R> =>
  isThenable(value) ? value.then(fn) : fn(value);

const message = (role: ChatItem['role'], text: string, status: ConversationMessage['status'] = 'complete') =>
  Object.freeze({ id: newId('m-'), role, text, status }) as ConversationMessage;

/**
 * A conversation with no DOM: the messages, the reply in flight (one at a time), the history sent with
 * each message, and saving to `options.store`. A page renders it by subscribing; the chat UI is one such
 * subscriber. Accepts a builder in place of the adapter (its `create()` is called now).
 *
 * A store that answers synchronously (the built-in ones) is restored before this returns; an async one
 * when `ready` settles (a `loaded` change). Saving: when a turn starts (so the question survives a page
 * that closes mid-reply), at most once a second while a reply streams, when a reply ends in any way, on
 * `clear()`, and on `save()`.
 */
export function createConversation(
  adapter: ChatAdapter | AdapterBuilder,
  options: CreateConversationOptions = {},
): Conversation {
  // An object with `create()` is taken for a builder.
  const source = (
    (adapter as AdapterBuilder)?.create ? (adapter as AdapterBuilder).create() : adapter
  ) as ChatAdapter;
  const {
    store,
    id: wanted,
    initialMessages = [],
    historyPayloadSize: count = 'max',
    maxHistoryBytes: bytes = DEFAULT_MAX_HISTORY_BYTES,
  } = options;
  // A whole number of at least 0; `Infinity` too (no limit).
  const isCount = (n: unknown) => typeof n === 'number' && n >= 0 && !(n % 1);
  // Bad options throw here, the first one named (the chat validates its own first).
  for (const [name, ok] of Object.entries({
    adapter: typeof source?.streamText === 'function' || typeof source?.batchText === 'function',
    historyPayloadSize: count === 'max' || isCount(count),
    maxHistoryBytes: isCount(bytes),
    store:
      !store ||
      [store.load, store.save, store.list, store.remove].every((method) => typeof method === 'function'),
    id: wanted === undefined || (typeof wanted === 'string' && wanted),
    initialMessages: Array.isArray(initialMessages) && initialMessages.every(isChatItem),
  })) {
    if (!ok) throw invalidConfig(`createConversation: bad ${name}`);
  }

  let id = wanted ?? newId('c-');
  // Frozen, and replaced on every change: `messages` hands it out as it is.
  let list: readonly ConversationMessage[] = Object.freeze(
    initialMessages.map((item) => message(item.role, item.message)),
  );
  const initial = list;
  // The reply in flight is always the last message; this aborts its request.
  let turn: AbortController | undefined;
  // When the turn in flight was asked: a reply's reasoning lasts from then until its text begins.
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One entry per subscription (the listener in a one-item array, which `notify` calls as `entry[0]`),
  // so the same function subscribed twice hears every change twice and unsubscribes once each.
  const listeners = new Set<[ConversationListener]>();

  const emit = (change: ConversationChange) => {
    // A copy: a listener may subscribe or unsubscribe while a change is delivered. One that throws is
    // reported and breaks nothing.
    for (const entry of [...listeners]) notify(entry, 0, change);
  };
  const busy = (on: boolean) => emit({ type: 'busy', busy: on });
  // On the next microtask: a restore that fails while `createConversation` runs is then heard by a
  // listener subscribed right after creating the conversation.
  const reportStorage = (cause: unknown) =>
    queueMicrotask(() =>
      emit({
        type: 'error',
        error: new ChatError('storage-error', `Store failed: ${(cause as Error)?.message ?? cause}`, {
          cause,
        }),
      }),
    );

  const last = () => list[list.length - 1]!;
  const set = (next: ConversationMessage[]) => {
    list = Object.freeze(next);
  };
  const add = (added: ConversationMessage) => {
    set([...list, added]);
    emit({ type: 'added', message: added, index: list.length - 1 });
  };
  // Changes the reply in flight. The first change that finds it with reasoning and either text or an end
  // times the reasoning.
  const replaceLast = (fields: Partial<ConversationMessage>) => {
    const next = { ...last(), ...fields };
    if (next.reasoning && next.reasoningMs === undefined && (next.text || next.status !== 'streaming')) {
      next.reasoningMs = Date.now() - asked;
    }
    set([...list.slice(0, -1), Object.freeze(next)]);
    return last();
  };
  const removeFrom = (index: number) => {
    const removed = list.slice(index);
    set(list.slice(0, index));
    for (const m of removed) emit({ type: 'removed', message: m });
  };
  const items = (upTo?: number): ChatItem[] =>
    list
      .slice(0, upTo)
      // Complete or stopped: not streaming, and not failed (a failed reply always carries its error).
      .filter((m) => m.status !== 'streaming' && !m.error)
      .map((m) => ({ role: m.role, message: m.text }));

  // ── the store ──
  // The store's work runs in order, the restore first, then each save: an async store never finishes an
  // older save after a newer one, nor saves before the restore settled (it would write over what is being
  // restored). `queue` is the work still pending; with none, a store that answers at once is done at once,
  // so `save()` in a `pagehide` listener has saved when it returns. What is returned never rejects.
  let queue: Promise<void> | undefined;
  const run = (task: () => MaybePromise<unknown>): Promise<void> => {
    let result: MaybePromise<unknown>;
    try {
      result = after(queue, task);
    } catch (error) {
      reportStorage(error);
    }
    if (!isThenable(result)) return Promise.resolve();
    const mine: Promise<void> = result.catch(reportStorage).then(() => {
      if (queue === mine) queue = undefined;
    });
    queue = mine;
    return mine;
  };
  const save = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    return run(() => store && (list.length ? store.save(toStored(id, list)) : store.remove(id)));
  };

  // ── turns ──
  // Every way a turn ends comes through here: the turn is over before any listener hears of it, so a
  // listener that throws (or calls back in) finds the conversation idle. A reply stopped before any text
  // is removed.
  const end = (fields: Partial<ConversationMessage>) => {
    turn = undefined;
    const ended = replaceLast(fields);
    if (ended.text || ended.status !== 'stopped') {
      // A failed reply's change carries its error.
      emit({
        type: ended.error ? 'failed' : 'completed',
        message: ended,
        ...(ended.error && { error: ended.error }),
      } as ConversationChange);
    } else removeFrom(list.length - 1);
    busy(false);
    void save();
  };
  const endStopped = () => end({ status: 'stopped', result: { text: last().text, finishReason: null } });
  /** Drops a reply in flight without a word: it is about to be removed with what follows it. */
  const abandon = () => {
    const dropped = turn;
    turn = undefined;
    if (dropped) {
      dropped.abort();
      busy(false);
    }
  };

  // Asks for a reply to the user message at `userIndex` (by default the last message).
  const ask = (userIndex = list.length - 1) => {
    const question = list[userIndex]!.text;
    const controller = new AbortController();
    const live = () => turn === controller;
    const grow = (field: 'text' | 'reasoning', delta: string) => {
      if (!live() || typeof delta !== 'string') return;
      const grown = replaceLast({ [field]: (last()[field] ?? '') + delta });
      emit({ type: field === 'text' ? 'delta' : 'reasoning-delta', message: grown, delta });
      // While a reply streams it is saved at most once a second (a reload then keeps all but the last
      // second of it); every turn's start and end is saved at once.
      if (store && !timer) timer = setTimeout(save, 1000);
    };
    turn = controller;
    asked = Date.now();
    add(message('assistant', '', 'streaming'));
    busy(true);
    void save();
    requestReply(
      source,
      question,
      // (The reply added above comes after `userIndex`: it is not in the history.)
      {
        conversationHistory: selectHistory(items(userIndex), question, count, bytes),
        signal: controller.signal,
      },
      {
        next: (delta) => grow('text', delta),
        reasoning: (delta) => grow('reasoning', delta),
        complete(result) {
          if (!live()) return;
          // A batch adapter (or one that sends no reasoning deltas) may carry the reasoning in its result
          // only: it arrives as one delta.
          if (!last().reasoning) grow('reasoning', result?.reasoning as string);
          end({ status: 'complete', result: { finishReason: null, ...result, text: last().text } });
        },
        error(reported) {
          if (!live()) return;
          const error = toChatError(reported);
          // An abort the conversation did not start (the adapter's own) is a stop: silent, partial kept.
          if (error.code === 'aborted') endStopped();
          else end({ status: 'failed', error, text: last().text || error.partialText || '' });
        },
      },
    );
  };

  const find = (messageId: unknown, role: 'user' | 'assistant') => {
    const index = list.findIndex((m) => m.id === messageId && m.role === role);
    if (index < 0) throw invalidConfig(`No ${role} message ${messageId as string}`);
    return index;
  };
  /**
   * Drops message `index` and what follows (silently abandoning a reply in flight) and asks again the
   * last question before it; false, changing nothing, when there is no question before it.
   */
  const again = (index: number) => {
    let user = index;
    while (user-- && list[user]!.role !== 'user') {
      // back to the question
    }
    if (user >= 0) {
      abandon();
      removeFrom(index);
      ask(user);
    }
    return user >= 0;
  };

  // ── restoring ──
  // Restored messages replace the initial ones; anything sent before an async restore settled stays,
  // after them. (What `fromStored` throws is reported like the store's own failures.)
  const restore = (data: unknown) => {
    if (data == null) return;
    set([...fromStored(data, id), ...list.filter((m) => !initial.includes(m))]);
    emit({ type: 'loaded', messages: list });
  };
  const ready = run(
    () =>
      store &&
      after(wanted ?? after(store.list(), (saved) => saved[0]?.id), (found) => {
        if (found === undefined) return;
        id = found;
        return after(store.load(found), restore);
      }),
  );

  const stop = () => {
    const controller = turn;
    if (!controller) return;
    // Ended first: an adapter that reports the abort synchronously then finds the turn already over.
    endStopped();
    controller.abort();
  };

  const conversation: Conversation = {
    get id() {
      return id;
    },
    get messages() {
      return list;
    },
    get busy() {
      return !!turn;
    },
    ready,
    send(text) {
      checkText(text, 'message');
      stop();
      add(message('user', text));
      ask();
    },
    stop,
    retry() {
      // A failed reply is never in flight: the reply in flight is the last message, and streaming.
      if (last()?.status === 'failed') again(list.length - 1);
    },
    regenerate(messageId) {
      if (!again(find(messageId, 'assistant'))) throw invalidConfig('No question to that reply');
    },
    edit(messageId, text) {
      const index = find(messageId, 'user');
      checkText(text, 'message');
      abandon();
      removeFrom(index);
      add(message('user', text));
      ask();
    },
    clear() {
      abandon();
      set([]);
      emit({ type: 'cleared' });
      void save();
    },
    save,
    // `upTo` is for the model's own use: the public `items()` takes nothing, so it gets them all.
    items,
    subscribe(listener) {
      check(typeof listener === 'function', 0, 'listener', 'a function');
      const entry: [ConversationListener] = [listener];
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  };

  return conversation;
}
