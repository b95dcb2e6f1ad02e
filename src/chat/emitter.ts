import type { AiChatEventMap, AiChatEventName, AiChatListener } from './types';

/** The chat's event hub. A listener that throws is reported to the console and never breaks the chat. */
export function createEmitter() {
  const listeners = new Map<AiChatEventName, Set<AiChatListener<never>>>();
  return {
    on(event: AiChatEventName, callback: AiChatListener<never>) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(callback));
    },
    off(event: AiChatEventName, callback: AiChatListener<never>) {
      listeners.get(event)?.delete(callback);
    },
    emit<E extends AiChatEventName>(event: E, payload: AiChatEventMap[E]) {
      const report = (error: unknown) => console.error(`chatwire: a "${event}" listener threw`, error);
      // A copy: a listener may call on() or off() while the event is being delivered.
      for (const callback of [...(listeners.get(event) ?? [])]) {
        try {
          const returned: unknown = (callback as AiChatListener<E>)(payload);
          // An async listener's failure is a rejected promise; catch it so it is not an unhandled rejection.
          if (returned instanceof Promise) returned.catch(report);
        } catch (error) {
          report(error);
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}
