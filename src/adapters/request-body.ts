import type { ChatAdapterExtras } from '../core/types';
import type { SharedSettings } from './adapter-builder';
import { check, checkHeaders, isChatItem, ROLES } from './validate';

/** What the body needs from a builder's settings. */
type BodySettings = Pick<SharedSettings, 'api' | 'model' | 'systemMessage' | 'reasoning' | 'modelOptions'>;

/**
 * The request body for the builder's API. Both carry the history in order, then the new user
 * message. Chat Completions puts the system message first among the messages and, streaming, asks
 * for the usage chunk; Responses sends it as `instructions`, stores nothing unless
 * `modelOptions.store` says so, and names the token cap `max_output_tokens`. `reasoning` is sent
 * only when set: models without reasoning reject the field.
 */
export function requestBody(
  { api, model, systemMessage, reasoning, modelOptions }: BodySettings,
  message: string,
  extras: ChatAdapterExtras,
  stream: boolean,
): string {
  const history = extras.conversationHistory ?? [];
  check(
    Array.isArray(history) && history.every(isChatItem),
    0,
    'conversationHistory',
    `{ role: ${ROLES.join(' | ')}, message: string }[]`,
  );
  const messages = history.map((item) => ({ role: item.role, content: item.message }));
  messages.push({
    role: 'user',
    content: check(typeof message === 'string', message, 'message', 'a string'),
  });
  const options: Record<string, unknown> = {};
  const responses = api === 'responses';
  for (const name in modelOptions) {
    const tokens = /^max_(completion_|output_)?tokens$/.test(name);
    options[tokens ? (responses ? 'max_output_tokens' : 'max_completion_tokens') : name] = modelOptions[name];
  }
  // JSON leaves out fields whose value is undefined: `instructions` without a system message,
  // `reasoning` when unset (models without reasoning reject the field), `stream_options` in batch.
  if (responses) {
    return JSON.stringify({
      store: false,
      ...options,
      model,
      instructions: systemMessage || undefined,
      input: messages,
      reasoning,
      stream,
    });
  }
  if (systemMessage) messages.unshift({ role: 'system', content: systemMessage });
  return JSON.stringify({
    ...options,
    model,
    messages,
    reasoning_effort: reasoning?.effort,
    stream,
    stream_options: stream ? { include_usage: true } : undefined,
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
