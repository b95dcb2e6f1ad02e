// The browser-safe entry: everything `chatwire/conversation` has (adapters, the conversation model,
// errors and types), plus the chat UI. Never imports `server`.

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
export * from './conversation';
