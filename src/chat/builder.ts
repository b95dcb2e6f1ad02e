import { invalidConfig } from '../core/errors';
import type { ChatAdapter } from '../core/types';
import { type ChatConfig, mountChat } from './mount';
import type { AiChatBuilder, AiChatEventName, AiChatListener } from './types';
import { checkItems, checkListener, propChecks } from './validate';

function builder(config: ChatConfig): AiChatBuilder {
  const next = (change: Partial<ChatConfig>) => builder(Object.freeze({ ...config, ...change }));
  const methods: Record<string, unknown> = {
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
  };
  // withAdapter, withPersonaOptions, …, withClassName, withInitialConversation: each is named after the
  // setting it checks and replaces.
  for (const [key, check] of Object.entries({ ...propChecks, initialConversation: checkItems })) {
    methods[`with${key[0]!.toUpperCase()}${key.slice(1)}`] = (value: unknown) =>
      next({ [key]: check(value) });
  }
  return Object.freeze(methods) as unknown as AiChatBuilder;
}

/**
 * Starts a chat configuration. The builder is immutable: every `with*` returns a new frozen builder,
 * so a base configuration can be forked.
 */
export function createAiChat(): AiChatBuilder {
  return builder(Object.freeze({ listeners: Object.freeze([]), initialConversation: Object.freeze([]) }));
}
