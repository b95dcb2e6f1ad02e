import type { ChatError } from '../../core/errors';
import type { ChatItem, ChatResult } from '../../core/types';

/**
 * Where a message is in its life. User and system messages are always `'complete'`; a reply is
 * `'streaming'` while it arrives, then `'complete'`, `'failed'` (its `error` says why, its text is what
 * arrived first) or `'stopped'` (by `stop()`, the adapter's own abort, or a page that closed mid-reply).
 */
export type MessageStatus = 'streaming' | 'complete' | 'failed' | 'stopped';

/** One message of a conversation. A frozen value: every change to a message makes a new object. */
export interface ConversationMessage {
  /** Stable for the message's whole life, saved with it, unique within its conversation. */
  readonly id: string;
  readonly role: ChatItem['role'];
  /** The message; for a reply, every delta so far joined. */
  readonly text: string;
  readonly status: MessageStatus;
  /** A finished reply's result (`text` included; `finishReason` null when the adapter gave none). */
  readonly result?: ChatResult;
  /** A failed reply's error. */
  readonly error?: ChatError;
  /** The model's reasoning summary, when the adapter reports one. */
  readonly reasoning?: string;
  /**
   * How long the model reasoned, in ms: from the question to the reply's first text (or its end, when
   * it has none). Set on a reply with `reasoning` once its text begins; saved with it.
   */
  readonly reasoningMs?: number;
}

/**
 * What changed, as `subscribe` listeners hear it. Every change is delivered after the conversation's
 * state already reflects it, so a listener can read `conversation.messages` or call back into it.
 */
export type ConversationChange =
  /** A message joined the list at `index` (a user message, or a reply that starts `'streaming'`). */
  | { type: 'added'; message: ConversationMessage; index: number }
  /** A streaming reply grew by `delta`; `message.text` is the whole text so far. */
  | { type: 'delta'; message: ConversationMessage; delta: string }
  /** A streaming reply's reasoning summary grew by `delta`. */
  | { type: 'reasoning-delta'; message: ConversationMessage; delta: string }
  /** A reply finished: `message.status` is `'complete'` or `'stopped'`. */
  | { type: 'completed'; message: ConversationMessage }
  /** A reply failed: `message.status` is `'failed'` and `error` is `message.error`. */
  | { type: 'failed'; message: ConversationMessage; error: ChatError }
  /** A message left the list (regenerate, edit, retry, or a stopped reply with no text). */
  | { type: 'removed'; message: ConversationMessage }
  /** `clear()` emptied the list. */
  | { type: 'cleared' }
  /** Saved messages were restored from the store: re-render `messages` whole. */
  | { type: 'loaded'; messages: readonly ConversationMessage[] }
  /** A reply started (`busy: true`) or ended, whichever way (`busy: false`). */
  | { type: 'busy'; busy: boolean }
  /** Something went wrong outside a reply: a store that failed (code `storage-error`). */
  | { type: 'error'; error: ChatError };

/** Hears every change of a conversation. A listener that throws is reported and breaks nothing. */
export type ConversationListener = (change: ConversationChange) => void;

/** A value, or a promise of it: built-in stores answer at once, a page's own store may be async. */
export type MaybePromise<T> = T | Promise<T>;

/** A message as a store keeps it: plain JSON. */
export interface StoredMessage {
  id: string;
  role: ChatItem['role'];
  text: string;
  status: MessageStatus;
  result?: ChatResult;
  /** A failed reply's error as `ChatError.toJSON()` gives it (at least `code` and `message`). */
  error?: { code: string; message: string; [detail: string]: unknown };
  reasoning?: string;
  /** Added after version 1 was first written: older data has none (and still loads). */
  reasoningMs?: number;
}

/** A whole conversation as a store keeps it: plain JSON, versioned. */
export interface StoredConversation {
  /** The storage format; this version of chatwire writes and reads `1`. */
  version: 1;
  id: string;
  /** The first user message, shortened: what a list of conversations shows. */
  title: string;
  /** When it was last saved, in ms since the epoch. */
  updatedAt: number;
  messages: StoredMessage[];
}

/** One entry of `store.list()`. */
export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

/**
 * Where conversations are saved. Built in: `memoryStore()` and `webStorageStore(storage, key)`; a page
 * can back one with IndexedDB or its server. Any method may return a promise, throw or reject: the
 * conversation keeps working and reports a `storage-error`.
 */
export interface ConversationStore {
  /** The saved conversation `id`, or undefined when there is none. */
  load(id: string): MaybePromise<StoredConversation | undefined>;
  /** Saves (replaces) a conversation under its `id`. */
  save(conversation: StoredConversation): MaybePromise<void>;
  /** The saved conversations, most recently saved first. */
  list(): MaybePromise<ConversationSummary[]>;
  /** Forgets a saved conversation. */
  remove(id: string): MaybePromise<void>;
}

/** Options of `createConversation`. */
export interface CreateConversationOptions {
  /** Where to save and restore the conversation. Without one, nothing is saved. */
  store?: ConversationStore;
  /**
   * The conversation to open: restored from `store` when saved there, else started empty under this id.
   * Omitted: with a store, its most recently saved conversation (so a reload resumes); otherwise a new id.
   */
  id?: string;
  /** Messages to start with when nothing is restored (the chat's `withInitialConversation`). */
  initialMessages?: ChatItem[];
  /** How many past messages go to the adapter (system messages always do); `'max'` (default) sends all. */
  historyPayloadSize?: number | 'max';
  /**
   * The most bytes of history sent with a message, the new message included, counted as the UTF-8 of
   * each message's JSON-escaped text plus a small per-message allowance. Older messages are left out
   * first; system messages are always sent. Default 48 KiB, so a request body stays under a proxy's
   * 64 KiB limit; `Infinity` sends everything `historyPayloadSize` allows.
   */
  maxHistoryBytes?: number;
}

/** A conversation with no DOM: messages, the reply in flight, history and saving. */
export interface Conversation {
  /** This conversation's id (its key in the store). */
  readonly id: string;
  /** The messages, oldest first. A frozen array, replaced on every change. */
  readonly messages: readonly ConversationMessage[];
  /** True while a reply is in flight. */
  readonly busy: boolean;
  /** Settles once the saved conversation was restored (or found missing or unreadable); never rejects. */
  readonly ready: Promise<void>;
  /** Sends `text` as the user's next message (stopping a reply in flight first) and asks for a reply. */
  send(text: string): void;
  /** Stops the reply in flight: its text so far stays, `'stopped'` (a reply with no text is removed). */
  stop(): void;
  /** Asks again for the last reply when it failed; does nothing otherwise. */
  retry(): void;
  /** Drops the assistant reply `id` and everything after it, and asks for that reply again. */
  regenerate(id: string): void;
  /** Replaces the user message `id` with `text`, drops everything after it, and asks again. */
  edit(id: string, text: string): void;
  /** Empties the conversation, silently abandoning a reply in flight. */
  clear(): void;
  /** Saves now (the model also saves on its own; call this on `pagehide`). Never rejects. */
  save(): Promise<void>;
  /** The finished messages as adapters take them (failed and streaming replies left out). */
  items(): ChatItem[];
  /** Calls `listener` with every change from now on; returns the function that unsubscribes it. */
  subscribe(listener: ConversationListener): () => void;
}
