// The conversation model's public surface: no DOM, only the adapters' types.
export { createConversation } from './create-conversation';
export { DEFAULT_MAX_HISTORY_BYTES } from './history';
export { memoryStore } from './memory-store';
export { STORAGE_VERSION } from './stored-format';
export type {
  Conversation,
  ConversationChange,
  ConversationListener,
  ConversationMessage,
  ConversationStore,
  ConversationSummary,
  CreateConversationOptions,
  MaybePromise,
  MessageStatus,
  StoredConversation,
  StoredMessage,
} from './types';
export { webStorageStore } from './web-storage-store';
