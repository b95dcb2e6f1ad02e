import { ChatError } from '../../core/errors';
import type { ConversationMessage, StoredConversation, StoredMessage } from './types';

// Storage format, version 1: `StoredConversation` as JSON. A reader that meets another version (a newer
// page's data, or something else under the same key) treats it as unreadable instead of guessing.

/** The storage format this code writes and reads. */
export const STORAGE_VERSION = 1;

const TITLE_LENGTH = 80;

/** A conversation's messages as the store keeps them. A reply still streaming is saved as it stands. */
export function toStored(id: string, messages: readonly ConversationMessage[]): StoredConversation {
  const firstUser = messages.find((m) => m.role === 'user')?.text.trim() ?? '';
  return {
    version: STORAGE_VERSION,
    id,
    title: firstUser.slice(0, TITLE_LENGTH),
    updatedAt: Date.now(),
    // Every field as it is, but the error as its JSON (JSON.stringify drops the undefined ones).
    messages: messages.map((m) => ({ ...m, error: m.error?.toJSON() as StoredMessage['error'] })),
  };
}

/** Whether `role` is one a ChatItem may have. */
export const isRole = (role: unknown) => role === 'user' || role === 'assistant' || role === 'system';
const STATUSES = ['streaming', 'complete', 'failed', 'stopped'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The messages of a stored conversation, checked field by field; throws a `storage-error` when `data` is
 * not version-1 data for conversation `id`. A reply that was streaming when it was saved (the page
 * closed mid-reply) comes back `'stopped'` with the text it had.
 */
export function fromStored(data: unknown, id: string): ConversationMessage[] {
  const ids = new Set<unknown>();
  const readable = (m: unknown): m is StoredMessage =>
    isObject(m) &&
    typeof m.id === 'string' &&
    ids.size < ids.add(m.id).size &&
    isRole(m.role) &&
    typeof m.text === 'string' &&
    STATUSES.includes(m.status as string) &&
    ['string', 'undefined'].includes(typeof m.reasoning);
  if (
    !isObject(data) ||
    data.version !== STORAGE_VERSION ||
    data.id !== id ||
    !Array.isArray(data.messages) ||
    !data.messages.every(readable)
  ) {
    throw storageError(`Unreadable conversation ${id}`);
  }
  return (data.messages as StoredMessage[]).map(({ id, role, text, status, result, error, reasoning }) =>
    Object.freeze({
      id,
      role,
      text,
      status: status === 'streaming' ? 'stopped' : status,
      ...(isObject(result) && status !== 'failed' && { result: { ...result, text } }),
      ...(status === 'failed' && { error: revive(error) }),
      ...(reasoning !== undefined && { reasoning }),
    }),
  );
}

// A saved error comes back as a ChatError with its code, message and details; a missing one is still an
// error the view can show (the reply did fail).
function revive(saved: unknown): ChatError {
  const {
    code = 'invalid-response',
    message = 'The reply failed',
    ...details
  } = isObject(saved) ? saved : {};
  return new ChatError(String(code) as ChatError['code'], String(message), details);
}

/** A ChatError `storage-error`, keeping what the store threw as its `cause`. */
export function storageError(message: string, cause?: unknown): ChatError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new ChatError('storage-error', `${message}${detail}`, { cause });
}
