import type { ConversationStore, ConversationSummary, StoredConversation } from './types';

/**
 * A store that keeps conversations for the page's lifetime (switching between them, no reload). It
 * keeps JSON, not objects, so what it returns is never the caller's own object.
 */
export function memoryStore(): ConversationStore {
  const saved = new Map<string, string>();
  return {
    load(id) {
      const json = saved.get(id);
      return json === undefined ? undefined : (JSON.parse(json) as StoredConversation);
    },
    save(conversation) {
      saved.set(conversation.id, JSON.stringify(conversation));
    },
    list() {
      return [...saved.values()].map((json) => summary(JSON.parse(json))).sort(newestFirst);
    },
    remove(id) {
      saved.delete(id);
    },
  };
}

/** The fields of a stored conversation that `list()` returns. */
export const summary = ({ id, title, updatedAt }: StoredConversation): ConversationSummary => ({
  id,
  title,
  updatedAt,
});

export const newestFirst = (a: ConversationSummary, b: ConversationSummary) => b.updatedAt - a.updatedAt;
