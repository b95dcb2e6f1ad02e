import { ChatError } from '../core/errors';
import { check } from './validate';

/** An API key, or a function that returns one (sync or async) each time a request is made. */
export type ApiKeySource = string | (() => string | Promise<string>);

// A key goes into a header: printable ASCII only, no spaces, so a pasted newline cannot inject
// headers. The message never quotes the value: it may be most of a real key.
const checkKey = (key: unknown): string =>
  check(
    typeof key === 'string' && /^[\x21-\x7e]+$/.test(key),
    key as string,
    'API key',
    'ASCII without spaces',
  );

/** Validates what `withApiKey` was given; a function's result is validated each time it is called (`resolveKey`). */
export const checkKeySource = (source: unknown): ApiKeySource =>
  typeof source === 'function' ? (source as ApiKeySource) : checkKey(source);

/** The key for one request: calls the function form, and refuses an empty or unsafe result. */
export async function resolveKey(source: ApiKeySource): Promise<string> {
  let key: unknown = source;
  if (typeof source === 'function') {
    try {
      key = await source();
    } catch {
      // The function's own error could quote the key; say only that it gave none.
      key = '';
    }
    if (!key) throw new ChatError('missing-api-key', 'The API key function gave no key');
  }
  return checkKey(key);
}
