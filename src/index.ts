// The browser-safe entry: adapters, chat UI, errors and types. Never imports `server`.
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
export { createAiChat } from './chat/builder';
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
export { type AiChatElement, defineAiChatElement } from './chat/element';
export type {
  AiChat,
  AiChatBuilder,
  AiChatEventMap,
  AiChatEventName,
  AiChatListener,
  AiChatProps,
  AssistantPersona,
  ChatStrings,
  ComposerOptions,
  ConversationOptions,
  ConversationStarter,
  DisplayOptions,
  MessageActions,
  MessageOptions,
  PersonaOptions,
  UserPersona,
} from './chat/types';
export { englishStrings } from './chat/view/strings';
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
