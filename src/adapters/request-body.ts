import type { ChatAdapterExtras, ChatItem } from '../core/types';
import { checkHeaders, expected } from './validate';

/** A Chat Completions message as the API takes it. */
interface ApiMessage {
  role: ChatItem['role'];
  content: string;
}

const ROLES = ['user', 'assistant', 'system'];

function toApiMessage(item: ChatItem): ApiMessage {
  if (!item || !ROLES.includes(item.role) || typeof item.message !== 'string') {
    throw expected('conversationHistory item', '{ role: user | assistant | system, message: string }');
  }
  return { role: item.role, content: item.message };
}

/**
 * The Chat Completions request body: the system message (if any), then the history in order, then
 * the new user message. Stream mode asks for the usage chunk so `complete()` can report tokens.
 */
export function chatCompletionBody(
  model: string,
  systemMessage: string,
  message: string,
  extras: ChatAdapterExtras,
  stream: boolean,
  modelOptions?: Readonly<Record<string, unknown>>,
): string {
  if (typeof message !== 'string') throw expected('message', 'a string');
  const history = extras.conversationHistory ?? [];
  if (!Array.isArray(history)) throw expected('conversationHistory', 'an array');
  const messages: ApiMessage[] = systemMessage ? [{ role: 'system', content: systemMessage }] : [];
  for (const item of history) messages.push(toApiMessage(item));
  messages.push({ role: 'user', content: message });
  return JSON.stringify({
    ...modelOptions,
    model,
    messages,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : undefined),
  });
}

/** Request headers: the adapter's own, then the builder's custom ones, then this call's extras. */
export function requestHeaders(
  own: Record<string, string>,
  custom: Readonly<Record<string, string>>,
  extras: ChatAdapterExtras,
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    ...own,
    ...custom,
    ...(extras.headers && checkHeaders(extras.headers)),
  };
}
