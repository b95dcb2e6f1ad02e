// The adapters layer's public surface, for the entry point and the chat UI.
export type { ChatAdapterBuilder } from './adapter-builder';
export type { ApiKeySource } from './api-key';
export type { ChatApi, ReasoningOptions } from './api-options';
export { type BackendAdapterBuilder, createChatAdapter } from './backend-adapter';
export { createUnsafeChatAdapter, type ModelOptions, type OpenAiAdapterBuilder } from './openai-adapter';
