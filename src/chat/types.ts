import type { ChatError, ChatErrorCode } from '../core/errors';
import type { AdapterBuilder, ChatAdapter, ChatItem, ChatResult } from '../core/types';
import type { ConversationStore } from './conversation/types';
import type { MarkdownOptions } from './markdown';
import type { ChatStrings } from './view/strings';

export type { ChatStrings };

/** The assistant as the reader sees it. */
export interface AssistantPersona {
  name: string;
  /** An image URL (http(s), data:image, blob: or a path), or a short text such as one emoji. */
  avatar?: string;
  /** One line under the name on the welcome screen. */
  tagline?: string;
}

/** The person typing. */
export interface UserPersona {
  name: string;
  /** An image URL (http(s), data:image, blob: or a path), or a short text such as one emoji. */
  avatar?: string;
}

/** Names and avatars. Defaults: "Assistant" and "You", avatars from their initials. */
export interface PersonaOptions {
  assistant?: AssistantPersona;
  user?: UserPersona;
}

/** A suggestion on the welcome screen; clicking it sends `prompt`. */
export interface ConversationStarter {
  prompt: string;
  /** What the button says; defaults to the prompt. */
  label?: string;
}

/** How the conversation is shown and how much of it the adapter sees. */
export interface ConversationOptions {
  /** How many past items go to the adapter as `conversationHistory`; `'max'` (default) sends all. */
  historyPayloadSize?: number | 'max';
  /** Shown while the conversation is empty. */
  conversationStarters?: ConversationStarter[];
  /** `'bubbles'` (default): user on the right, assistant on the left; `'list'`: one column. */
  layout?: 'bubbles' | 'list';
  /** Follow a streaming reply (default true); pauses when the reader scrolls up, resumes at the bottom. */
  autoScroll?: boolean;
}

/** The text box and its button. */
export interface ComposerOptions {
  /** Placeholder, also the textarea's accessible name (default "Message"). */
  placeholder?: string;
  /** Focus the textarea when the chat mounts. */
  autoFocus?: boolean;
  /**
   * `'Enter'` (default): Enter sends, Shift+Enter is a new line. `'CommandEnter'`: only Cmd/Ctrl+Enter
   * sends. On a touch screen (`pointer: coarse`) Enter is always a new line; the Send button sends.
   */
  submitShortcut?: 'Enter' | 'CommandEnter';
  /** No Stop button while a reply streams (`stop()` and Escape still work). */
  hideStopButton?: boolean;
  /** The reader cannot send from the composer; `sendMessage()` still works. */
  disableSubmitButton?: boolean;
}

/** Look and size. */
export interface DisplayOptions {
  /** `'auto'` (default) follows `prefers-color-scheme`. */
  colorScheme?: 'light' | 'dark' | 'auto';
  /** Set as `data-theme` on the chat's root, a hook for your own CSS. */
  themeId?: string;
  /** A number is pixels; a string is any CSS length. */
  width?: number | string;
  /** A number is pixels; a string is any CSS length. */
  height?: number | string;
}

/**
 * How assistant replies (markdown) are rendered: link target, code copy button, `htmlSanitizer`,
 * `syntaxHighlighter`, `mathRenderer` (see `MarkdownOptions`), and the buttons under messages. The
 * renderer's words come from the chat's strings table (`withStrings`).
 */
export interface MessageOptions extends Omit<MarkdownOptions, 'strings'> {
  /** The buttons under messages; each can be switched off (or feedback on). */
  actions?: MessageActions;
}

/** Message actions. Copy, regenerate and edit are on by default; feedback is off until asked for. */
export interface MessageActions {
  /** Copy a reply's markdown source, with a visible "Copied" state. */
  copy?: boolean;
  /** Ask again for the last reply. */
  regenerate?: boolean;
  /** Edit one of the reader's messages in place; what came after it is replaced by a new reply. */
  edit?: boolean;
  /** Thumbs up/down on replies, emitted as the `feedback` event (the chat stores nothing). */
  feedback?: boolean;
}

/** Everything `updateProps` can change on a mounted chat. Each group given is merged into the current one. */
export interface AiChatProps {
  adapter?: ChatAdapter | AdapterBuilder;
  personaOptions?: PersonaOptions;
  conversationOptions?: ConversationOptions;
  composerOptions?: ComposerOptions;
  displayOptions?: DisplayOptions;
  messageOptions?: MessageOptions;
  /** Extra class names on the chat's root element. */
  className?: string;
  /** UI text, merged into the current table (English by default). */
  strings?: Partial<ChatStrings>;
}

/** Payloads of the chat's events. */
export interface AiChatEventMap {
  /** The chat is on the page (emitted on the microtask after `mount`). */
  ready: Record<string, never>;
  /** The reader (or `sendMessage`) sent a message. */
  messageSent: { uid: string; message: string };
  /** The first piece of a reply arrived (stream and batch mode alike). */
  messageStreamStarted: { uid: string };
  /** A reply finished, or was stopped (then `result.finishReason` is null). `message` is the whole text. */
  messageReceived: { uid: string; message: string; result: ChatResult };
  /**
   * A reply failed (or, with code `storage-error`, the conversation store did); `code` is the ChatError
   * code and `message` the error's own (redacted, for developers; the reader sees a text chosen by
   * `code`). Not emitted for a stop. An `invalid-api-key` is the page's cue to ask for another key.
   */
  error: { code: ChatErrorCode; message: string; error: ChatError };
  /** The reader rated a reply with thumbs up or down (`withMessageOptions({ actions: { feedback: true } })`). */
  feedback: { uid: string; value: 'up' | 'down' };
  /** `unmount()` is about to remove the chat. */
  preDestroy: { conversationHistory: ChatItem[] };
}

/** The name of a chat event: `'ready'`, `'messageSent'`, … */
export type AiChatEventName = keyof AiChatEventMap;

/** A listener for event `E`; it gets that event's payload. */
export type AiChatListener<E extends AiChatEventName> = (payload: AiChatEventMap[E]) => void;

/** A mounted chat. */
export interface AiChat {
  /** Removes every node, listener and style the chat added, and aborts a reply in flight. */
  unmount(): void;
  /**
   * Changes the mounted chat in place: each option group given is merged into the current one. A bad
   * value throws `invalid-config` and changes nothing.
   */
  updateProps(props: AiChatProps): void;
  /** Hides the chat (`hidden`) without losing its state. */
  hide(): void;
  /** Shows the chat again after `hide()`. */
  show(): void;
  /** Sends `text` as the reader would; stops a reply in flight first. */
  sendMessage(text: string): void;
  /** Stops the reply in flight; what arrived so far stays as a finished message. */
  stop(): void;
  /** Empties the conversation (stopping a reply in flight). */
  clear(): void;
  /** The finished messages, oldest first (a copy). */
  getConversation(): ChatItem[];
  /**
   * Opens the saved conversation `id` from the chat's store (`withConversationStore`), stopping the one
   * shown; resolves once it is restored. Without a store it throws `invalid-config`.
   */
  loadConversation(id: string): Promise<void>;
  /** Starts an empty conversation under a new id (saved in the store, if any) and returns that id. */
  newConversation(): string;
  /** Adds a listener; an unknown event or a non-function throws `invalid-config`. */
  on<E extends AiChatEventName>(event: E, callback: AiChatListener<E>): AiChat;
  /** Removes a listener added with `on()` (on this chat or its builder). */
  off<E extends AiChatEventName>(event: E, callback: AiChatListener<E>): AiChat;
}

/** An immutable chat configuration: every method returns a new frozen builder. */
export interface AiChatBuilder {
  /** An adapter, or a builder (its `create()` is called now). Required before `mount`. */
  withAdapter(adapter: ChatAdapter | AdapterBuilder): AiChatBuilder;
  /** Names, avatars and the assistant's tagline. Like every `with*`, replaces that setting whole. */
  withPersonaOptions(options: PersonaOptions): AiChatBuilder;
  /** History sent to the adapter, conversation starters, layout, auto-scroll. */
  withConversationOptions(options: ConversationOptions): AiChatBuilder;
  /** Placeholder, focus, submit shortcut and the Send/Stop button. */
  withComposerOptions(options: ComposerOptions): AiChatBuilder;
  /** Colour scheme, theme id, width and height. */
  withDisplayOptions(options: DisplayOptions): AiChatBuilder;
  /** How assistant replies (markdown) are rendered. */
  withMessageOptions(options: MessageOptions): AiChatBuilder;
  /** Messages shown (and sent as history) from the start. */
  withInitialConversation(items: ChatItem[]): AiChatBuilder;
  /** Extra class names on the chat's root element. */
  withClassName(name: string): AiChatBuilder;
  /** UI text: any keys of the table, the rest stay English. */
  withStrings(strings: Partial<ChatStrings>): AiChatBuilder;
  /**
   * Saves the conversation in `store` (`memoryStore()`, `webStorageStore(sessionStorage, key)` or your
   * own) and restores the latest one on mount. A failing store emits `error` with code `storage-error`.
   */
  withConversationStore(store: ConversationStore): AiChatBuilder;
  /** A listener registered on every chat this builder mounts (so it hears `ready`). */
  on<E extends AiChatEventName>(event: E, callback: AiChatListener<E>): AiChatBuilder;
  /** Renders the chat into `element` (appended; the element's own content is kept). */
  mount(element: HTMLElement): AiChat;
}
