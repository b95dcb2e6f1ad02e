// The browser-safe entry: adapters, chat UI, errors and types. Never imports `server`.
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

// --- adapters (src/adapters/) ---

// --- chat UI (src/chat/) ---
