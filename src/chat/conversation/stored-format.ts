import { ChatError } from '../../core/errors';
import type { ChatResult } from '../../core/types';
import type { ConversationMessage, MessageStatus, StoredConversation, StoredMessage } from './types';

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
    title: firstUser.length > TITLE_LENGTH ? `${firstUser.slice(0, TITLE_LENGTH - 1)}…` : firstUser,
    updatedAt: Date.now(),
    messages: messages.map(({ id, role, text, status, result, error, reasoning }) => ({
      id,
      role,
      text,
      status,
      ...(result && { result }),
      ...(error && { error: error.toJSON() as StoredMessage['error'] }),
      ...(reasoning !== undefined && { reasoning }),
    })),
  };
}

const ROLES = ['user', 'assistant', 'system'];
const STATUSES = ['streaming', 'complete', 'failed', 'stopped'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The messages of a stored conversation, checked field by field; throws a `storage-error` when `data` is
 * not version-1 data for conversation `id`. A reply that was streaming when it was saved (the page
 * closed mid-reply) comes back `'stopped'` with the text it had.
 */
export function fromStored(data: unknown, id: string): ConversationMessage[] {
  if (!isObject(data) || data.version !== STORAGE_VERSION) {
    const version = isObject(data) ? data.version : undefined;
    throw storageError(`Saved conversation "${id}" has an unknown format (version ${String(version)})`);
  }
  if (data.id !== id || !Array.isArray(data.messages)) {
    throw storageError(`Saved conversation "${id}" is damaged`);
  }
  const seen = new Set<string>();
  return data.messages.map((m: unknown) => {
    if (
      !isObject(m) ||
      typeof m.id !== 'string' ||
      seen.has(m.id) ||
      !ROLES.includes(m.role as string) ||
      typeof m.text !== 'string' ||
      !STATUSES.includes(m.status as string) ||
      (m.reasoning !== undefined && typeof m.reasoning !== 'string')
    ) {
      throw storageError(`Saved conversation "${id}" has a damaged message`);
    }
    seen.add(m.id);
    const status = m.status === 'streaming' ? 'stopped' : (m.status as MessageStatus);
    return Object.freeze({
      id: m.id,
      role: m.role as ConversationMessage['role'],
      text: m.text,
      status,
      ...(isObject(m.result) &&
        status !== 'failed' && { result: { ...m.result, text: m.text } as ChatResult }),
      ...(status === 'failed' && { error: revive(m.error) }),
      ...(typeof m.reasoning === 'string' && { reasoning: m.reasoning }),
    });
  });
}

// A saved error comes back as a ChatError with its code and message; a missing or odd one is still an
// error the view can show (the reply did fail).
function revive(saved: unknown): ChatError {
  const { code, message, status, requestId, retryable } = isObject(saved) ? saved : {};
  return new ChatError(
    (typeof code === 'string' ? code : 'invalid-response') as ChatError['code'],
    typeof message === 'string' ? message : 'The reply failed',
    {
      ...(typeof status === 'number' && { status }),
      ...(typeof requestId === 'string' && { requestId }),
      retryable: retryable === true,
    },
  );
}

/** A ChatError `storage-error`, keeping what the store threw as its `cause`. */
export function storageError(message: string, cause?: unknown): ChatError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new ChatError('storage-error', `${message}${detail}`, { cause });
}
