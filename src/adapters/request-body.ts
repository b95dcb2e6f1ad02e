import type { ChatAdapterExtras } from '../core/types';
import type { SharedSettings } from './adapter-builder';
import { check, checkHeaders } from './validate';

/** What the body needs from a builder's settings. */
type BodySettings = Pick<SharedSettings, 'model' | 'systemMessage'> & {
  modelOptions?: Readonly<Record<string, unknown>>;
};

const ROLES = ['user', 'assistant', 'system'];

/**
 * The Chat Completions request body: the system message (if any), then the history in order, then
 * the new user message. Stream mode asks for the usage chunk so `complete()` can report tokens.
 */
export function chatCompletionBody(
  { model, systemMessage, modelOptions }: BodySettings,
  message: string,
  extras: ChatAdapterExtras,
  stream: boolean,
): string {
  const history = extras.conversationHistory ?? [];
  check(Array.isArray(history), 0, 'conversationHistory', 'an array');
  const messages = history.map((item) => {
    check(
      item && ROLES.includes(item.role) && typeof item.message === 'string',
      0,
      'conversationHistory item',
      `{ role: ${ROLES.join(' | ')}, message: string }`,
    );
    return { role: item.role, content: item.message };
  });
  if (systemMessage) messages.unshift({ role: 'system', content: systemMessage });
  messages.push({
    role: 'user',
    content: check(typeof message === 'string', message, 'message', 'a string'),
  });
  return JSON.stringify({
    ...modelOptions,
    model,
    messages,
    stream,
    ...(stream && { stream_options: { include_usage: true } }),
  });
}

/**
 * Request headers: JSON, then the adapter's own, then the builder's custom ones, then this call's
 * extras, then `last` (the key), later ones winning. Names are case-insensitive: a later
 * `content-type` replaces `Content-Type` instead of going out beside it, which fetch would send as
 * one header with both values joined by a comma.
 */
export function requestHeaders(
  custom: Readonly<Record<string, string>>,
  extras: ChatAdapterExtras,
  own?: Readonly<Record<string, string>>,
  last?: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const records = [
    { 'Content-Type': 'application/json' },
    own,
    custom,
    extras.headers && checkHeaders(extras.headers),
    last,
  ];
  for (const record of records) {
    for (const name in record) {
      for (const old in headers) if (old.toLowerCase() === name.toLowerCase()) delete headers[old];
      headers[name] = record[name]!;
    }
  }
  return headers;
}
