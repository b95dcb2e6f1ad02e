import { invalidConfig } from '../core/errors';
import type { ChatAdapter } from '../core/types';
import type { AiChatBuilder, AiChatListener } from './types';
import { checkItems, checkListener, checkStore, propChecks } from './validate';
import { type ChatConfig, mountChat } from './view/mount';

function builder(config: ChatConfig): AiChatBuilder {
  const next = (change: Partial<ChatConfig>) => builder(Object.freeze({ ...config, ...change }));
  // The `with*` method that checks its value as `updateProps` would and sets the prop `key`.
  const prop =
    <K extends keyof typeof propChecks>(key: K) =>
    (value: unknown) =>
      next({ [key]: propChecks[key](value) });
  return Object.freeze({
    withAdapter: prop('adapter'),
    withPersonaOptions: prop('personaOptions'),
    withConversationOptions: prop('conversationOptions'),
    withComposerOptions: prop('composerOptions'),
    withDisplayOptions: prop('displayOptions'),
    withMessageOptions: prop('messageOptions'),
    withInitialConversation: (items) => next({ initialConversation: checkItems(items) }),
    withClassName: prop('className'),
    withStrings: prop('strings'),
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
