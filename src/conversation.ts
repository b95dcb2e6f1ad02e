// The headless entry, `chatwire/conversation`: the conversation model, its stores and the adapters,
// with none of the chat UI — for a page that renders the conversation with its own markup.
export {
  type ApiKeySource,
  type BackendAdapterBuilder,
  type ChatAdapterBuilder,
  type ChatApi,
  createChatAdapter,
  createUnsafeChatAdapter,
  type ModelOptions,
  type OpenAiAdapterBuilder,
  type ReasoningOptions,
} from './adapters';
export {
  type Conversation,
  type ConversationChange,
  type ConversationListener,
  type ConversationMessage,
  type ConversationStore,
  type ConversationSummary,
  type CreateConversationOptions,
  createConversation,
  type MaybePromise,
  type MessageStatus,
  memoryStore,
  type StoredConversation,
  type StoredMessage,
  webStorageStore,
} from './chat/conversation';
export type { FetchLike } from './core/chat-request';
export { ChatError, type ChatErrorCode, type ChatErrorDetails } from './core/errors';
export type {
  AdapterBuilder,
  ChatAdapter,
  ChatAdapterExtras,
  ChatItem,
  ChatResult,
  ChatSource,
  ChatUsage,
  DataTransferMode,
  RateLimit,
  StandardChatAdapter,
  StreamingAdapterObserver,
  TimeoutOptions,
} from './core/types';
