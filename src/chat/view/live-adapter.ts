import type { ChatAdapter, ChatItem } from '../../core/types';

/**
 * The adapter the chat's conversation talks to: it forwards each request to whatever adapter the chat
 * has now, so `updateProps({ adapter })` and `historyPayloadSize` take effect on the next message
 * without replacing the conversation. An adapter with only `batchText` is asked through it.
 */
export function liveAdapter(
  current: () => ChatAdapter,
  historySize: () => number | 'max' | undefined,
): ChatAdapter {
  // Clamped at 0: a negative start would count from the end (and `slice(-size)` sends all for 0).
  const trim = (items: ChatItem[] | undefined) => {
    const size = historySize() ?? 'max';
    return size === 'max' || !items ? items : items.slice(Math.max(0, items.length - size));
  };
  return {
    streamText(message, observer, extras = {}) {
      const adapter = current();
      const asked = { ...extras, conversationHistory: trim(extras.conversationHistory) };
      if (adapter.streamText) return adapter.streamText(message, observer, asked);
      adapter.batchText!(message, asked).then((text) => {
        observer.next(String(text));
        observer.complete();
      }, observer.error);
    },
  };
}
