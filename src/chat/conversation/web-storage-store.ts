import { invalidConfig } from '../../core/errors';
import { newestFirst, summary } from './memory-store';
import { STORAGE_VERSION } from './stored-format';
import type { ConversationStore, ConversationSummary, StoredConversation } from './types';

/**
 * A store in `sessionStorage` (survives a reload, ends with the tab) or `localStorage` (survives the
 * browser). Each conversation is one entry, `<key>:<id>`, holding its JSON; `list()` reads the entries
 * under that prefix, skipping any it cannot read. A full quota makes `save` throw (the browser's
 * QuotaExceededError), which the conversation reports as a `storage-error`.
 */
export function webStorageStore(storage: Storage, key: string): ConversationStore {
  if (!storage || typeof storage.getItem !== 'function' || typeof storage.setItem !== 'function') {
    throw invalidConfig('webStorageStore needs a Storage, such as sessionStorage or localStorage');
  }
  if (typeof key !== 'string' || !key) throw invalidConfig('webStorageStore needs a non-empty key');
  const prefix = `${key}:`;
  const read = (name: string): unknown => {
    const json = storage.getItem(name);
    return json === null ? undefined : JSON.parse(json);
  };
  return {
    // Returned as read: the conversation checks the version and every field itself.
    load: (id) => read(prefix + id) as StoredConversation | undefined,
    save(conversation) {
      storage.setItem(prefix + conversation.id, JSON.stringify(conversation));
    },
    list() {
      const found: ConversationSummary[] = [];
      for (let i = 0; i < storage.length; i++) {
        const name = storage.key(i);
        if (!name?.startsWith(prefix)) continue;
        try {
          const data = read(name) as StoredConversation;
          if (data?.version === STORAGE_VERSION && data.id === name.slice(prefix.length)) {
            found.push(summary(data));
          }
        } catch {
          // Another script's entry, or a damaged one: not a conversation this store can list.
        }
      }
      return found.sort(newestFirst);
    },
    remove(id) {
      storage.removeItem(prefix + id);
    },
  };
}
