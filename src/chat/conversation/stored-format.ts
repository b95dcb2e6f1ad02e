import { ROLES } from '../../adapters/validate';
import { toChatError } from './to-chat-error';
import type { ConversationMessage, StoredConversation, StoredMessage } from './types';

// Storage format, version 1: `StoredConversation` as JSON. A reader that meets another version (a newer
// page's data, or something else under the same key) treats it as unreadable instead of guessing.
// Optional fields added later (`reasoningMs`) keep the version: a reader that predates them ignores them,
// and data saved before them still loads.

/**
 * The storage format this code writes and reads. `toStored` and `fromStored` spell it `1` (fewer bytes
 * than the constant): `StoredConversation`'s `version: 1` type holds `toStored` to it, and changing the
 * version means changing that type, and so finding both.
 */
export const STORAGE_VERSION = 1;

/** A conversation's messages as the store keeps them. A reply still streaming is saved as it stands. */
export function toStored(id: string, messages: readonly ConversationMessage[]): StoredConversation {
  return {
    version: 1,
    id,
    // What a list of conversations shows: the first question, shortened.
    title:
      messages
        .find((m) => m.role === 'user')
        ?.text.trim()
        .slice(0, 80) ?? '',
    updatedAt: Date.now(),
    // Every field as it is, but the error as its JSON (JSON.stringify drops the undefined ones).
    messages: messages.map((m) => ({ ...m, error: m.error?.toJSON() as StoredMessage['error'] })),
  };
}

const STATUSES = ['streaming', 'complete', 'failed', 'stopped'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isOptional = (v: unknown, type: string) => v === undefined || typeof v === type;

/**
 * The messages of a stored conversation, checked field by field; throws when `data` is not version-1
 * data for conversation `id`. A reply that was streaming when it was saved (the page
 * closed mid-reply) comes back `'stopped'` with the text it had.
 */
export function fromStored(data: unknown, id: string): ConversationMessage[] {
  const ids = new Set<unknown>();
  const messages = isObject(data) && data.version === 1 && data.id === id && data.messages;
  if (
    !Array.isArray(messages) ||
    !messages.every(
      (m) =>
        // (`?.`: a message that is not an object has no string id.)
        typeof m?.id === 'string' &&
        ids.size < ids.add(m.id).size &&
        ROLES.includes(m.role as string) &&
        typeof m.text === 'string' &&
        STATUSES.includes(m.status as string) &&
        isOptional(m.reasoning, 'string') &&
        isOptional(m.reasoningMs, 'number') &&
        isOptional(m.result, 'object') &&
        m.result !== null,
    )
  ) {
    // Reported as a `storage-error` whose message ends with this one.
    throw new Error(`unreadable conversation ${id}`);
  }
  // Every field as saved but these two: fields a later version adds come back, and are saved again.
  return (messages as StoredMessage[]).map(({ status, error, ...fields }) =>
    Object.freeze({
      ...fields,
      status: status === 'streaming' ? 'stopped' : status,
      // A saved error comes back as a ChatError with its code, message and details; a missing one is
      // still an error the view can show (the reply did fail).
      ...(status === 'failed' && { error: toChatError(error) }),
    }),
  );
}
