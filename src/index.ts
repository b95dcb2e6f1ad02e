// The browser-safe entry: adapters, chat UI, errors and types. Never imports `server`.

// --- adapters (src/adapters/) ---
export type { ChatAdapterBuilder } from './adapters/adapter-builder';
export type { ApiKeySource } from './adapters/api-key';
export { type BackendAdapterBuilder, createChatAdapter } from './adapters/backend-adapter';
export {
  createUnsafeChatAdapter,
  type ModelOptions,
  type OpenAiAdapterBuilder,
} from './adapters/openai-adapter';
// --- chat UI (src/chat/) ---
export { createAiChat } from './chat/builder';
export { type AiChatElement, defineAiChatElement } from './chat/element';
export type {
  AiChat,
  AiChatBuilder,
  AiChatEventMap,
  AiChatEventName,
  AiChatListener,
  AiChatProps,
  AssistantPersona,
  ComposerOptions,
  ConversationOptions,
  ConversationStarter,
  DisplayOptions,
  MessageOptions,
  PersonaOptions,
  UserPersona,
} from './chat/types';
export type { FetchLike } from './core/chat-request';
export { ChatError, type ChatErrorCode, type ChatErrorDetails } from './core/errors';
export type {
  AdapterBuilder,
  ChatAdapter,
  ChatAdapterExtras,
  ChatItem,
  ChatResult,
  ChatUsage,
  DataTransferMode,
  StandardChatAdapter,
  StreamingAdapterObserver,
  TimeoutOptions,
} from './core/types';
