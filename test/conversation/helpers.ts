import type { Conversation, ConversationChange } from '../../src/chat/conversation';

/** Every change a conversation emits, in order, as `type` or `type:text` for message changes. */
export function record(conversation: Conversation) {
  const changes: ConversationChange[] = [];
  conversation.subscribe((change) => changes.push(change));
  return {
    changes,
    types: () => changes.map((c) => c.type),
    clear: () => changes.splice(0),
  };
}

/** The messages as `role:status:text`, for compact assertions. */
export const shape = (conversation: Conversation) =>
  conversation.messages.map((m) => `${m.role}:${m.status}:${m.text}`);
