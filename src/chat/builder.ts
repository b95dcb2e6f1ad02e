import { invalidConfig } from '../core/errors';
import type { ChatAdapter } from '../core/types';
import type { AiChatBuilder, AiChatListener } from './types';
import { checkItems, checkListener, checkStore, propChecks } from './validate';
import { type ChatConfig, mountChat } from './view/mount';

function builder(config: ChatConfig): AiChatBuilder {
  const next = (change: Partial<ChatConfig>) => builder(Object.freeze({ ...config, ...change }));
  return Object.freeze({
    withAdapter: (adapter) => next({ adapter: propChecks.adapter(adapter) }),
    withPersonaOptions: (options) => next({ personaOptions: propChecks.personaOptions(options) }),
    withConversationOptions: (options) =>
      next({ conversationOptions: propChecks.conversationOptions(options) }),
    withComposerOptions: (options) => next({ composerOptions: propChecks.composerOptions(options) }),
    withDisplayOptions: (options) => next({ displayOptions: propChecks.displayOptions(options) }),
    withMessageOptions: (options) => next({ messageOptions: propChecks.messageOptions(options) }),
    withInitialConversation: (items) => next({ initialConversation: checkItems(items) }),
    withClassName: (name) => next({ className: propChecks.className(name) }),
    withStrings: (strings) => next({ strings: propChecks.strings(strings) }),
    withConversationStore: (store) => next({ store: checkStore(store) }),
    on(event, callback) {
      checkListener(event, callback);
      return next({
        listeners: Object.freeze([...config.listeners, [event, callback as AiChatListener<never>]]),
      });
    },
    mount(element) {
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
