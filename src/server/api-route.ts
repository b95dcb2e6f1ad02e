import { isRecord } from './request-fields';

/** The two OpenAI APIs the proxy speaks. */
export type ProxyApi = 'responses' | 'chat-completions';

/** The upstream path of each API, appended to the upstream base URL. */
export const apiPaths: Record<ProxyApi, string> = {
  responses: '/responses',
  'chat-completions': '/chat/completions',
};

/**
 * Which API a request speaks: a path ending in `/responses` or `/chat/completions` says so (the proxy
 * mounted as an OpenAI base URL); any other path is decided by the body: `input` is Responses,
 * `messages` Chat Completions. Undefined when neither tells.
 */
export function routeApi(pathname: string, body: unknown): ProxyApi | undefined {
  const path = pathname.replace(/\/+$/, '');
  if (path.endsWith('/responses')) return 'responses';
  if (path.endsWith('/chat/completions')) return 'chat-completions';
  if (!isRecord(body)) return undefined;
  if ('input' in body && !('messages' in body)) return 'responses';
  if ('messages' in body && !('input' in body)) return 'chat-completions';
  return undefined;
}
