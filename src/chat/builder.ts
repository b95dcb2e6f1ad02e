import { invalidConfig } from '../core/errors';
import type { ChatAdapter } from '../core/types';
import { type ChatConfig, mountChat } from './mount';
import type { AiChatBuilder, AiChatEventName, AiChatListener } from './types';
import {
  checkAdapter,
  checkClassName,
  checkComposer,
  checkConversation,
  checkDisplay,
  checkItems,
  checkListener,
  checkMessage,
  checkPersona,
} from './validate';

function builder(config: ChatConfig): AiChatBuilder {
  const next = (change: Partial<ChatConfig>) => builder(Object.freeze({ ...config, ...change }));
  return Object.freeze({
    withAdapter: (adapter) => next({ adapter: checkAdapter(adapter) }),
    withPersonaOptions: (o) => next({ personaOptions: checkPersona(o) }),
    withConversationOptions: (o) => next({ conversationOptions: checkConversation(o) }),
    withComposerOptions: (o) => next({ composerOptions: checkComposer(o) }),
    withDisplayOptions: (o) => next({ displayOptions: checkDisplay(o) }),
    withMessageOptions: (o) => next({ messageOptions: checkMessage(o) }),
    withInitialConversation: (items) => next({ initialConversation: Object.freeze(checkItems(items)) }),
    withClassName: (name) => next({ className: checkClassName(name) }),
    on<E extends AiChatEventName>(event: E, callback: AiChatListener<E>) {
      checkListener(event, callback);
      return next({
        listeners: Object.freeze([...config.listeners, [event, callback as AiChatListener<never>]]),
      });
    },
    mount(element: HTMLElement) {
      if (!config.adapter) throw invalidConfig('mount() needs an adapter: call withAdapter() first');
      if (!element || typeof element.appendChild !== 'function')
        throw invalidConfig('mount() needs an element');
      return mountChat(element, config as ChatConfig & { adapter: ChatAdapter });
    },
  } satisfies AiChatBuilder);
}

/**
 * Starts a chat configuration. The builder is immutable: every `with*` returns a new frozen builder,
 * so a base configuration can be forked.
 */
export function createAiChat(): AiChatBuilder {
  return builder(Object.freeze({ listeners: Object.freeze([]), initialConversation: Object.freeze([]) }));
}
