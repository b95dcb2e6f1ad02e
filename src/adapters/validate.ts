import { invalidConfig } from '../core/errors';
import type { ChatItem } from '../core/types';

// Builders check every value at the `with*` call, so a mistake points at the line that made it
// instead of surfacing as a failed request later. Messages share one shape ("model: expected …"),
// which keeps them consistent and small.

/** Returns `value` when `ok`; otherwise throws `invalid-config` "`what`: expected `instead`". */
export function check<T>(ok: unknown, value: T, what: string, instead: string): T {
  if (!ok) throw invalidConfig(`${what}: expected ${instead}`);
  return value;
}

/** The roles a ChatItem may have. */
export const ROLES = ['user', 'assistant', 'system'];

/** A ChatItem: one of the roles, and a string message. */
export const isChatItem = (item: unknown): item is ChatItem =>
  ROLES.includes((item as ChatItem)?.role) && typeof (item as ChatItem).message === 'string';

/** A string with something in it. */
export const checkText = (value: unknown, what: string): string =>
  check(typeof value === 'string' && value.trim(), value as string, what, 'a non-empty string');

/** One of a fixed set of strings. */
export const checkChoice = <T extends string>(value: unknown, choices: readonly T[], what: string): T =>
  check(choices.includes(value as T), value as T, what, choices.join(' | '));

/** A count or duration within `[min, max]`; `integer` for counts. */
export const checkNumber = (
  value: unknown,
  min: number,
  max: number,
  what: string,
  integer?: boolean,
): number =>
  check(
    typeof value === 'number' && value >= min && value <= max && !(integer && value % 1),
    value as number,
    what,
    `a${integer ? 'n integer' : ' number'} from ${min} to ${max}`,
  );

/** A plain object (not null, not an array). */
export const checkRecord = (value: unknown, what: string): Record<string, unknown> =>
  check(
    value && typeof value === 'object' && !Array.isArray(value),
    value as Record<string, unknown>,
    what,
    'an object',
  );

/** A header value that cannot inject another header: printable ASCII, which also shuts out CR/LF. */
export const checkHeaderValue = (value: unknown, what: string): string =>
  check(
    typeof value === 'string' && /^[\t\x20-\x7e]*$/.test(value),
    value as string,
    what,
    'printable ASCII',
  );

/** A record of request headers; returns a copy, so later changes to the argument do nothing. */
export function checkHeaders(value: unknown): Readonly<Record<string, string>> {
  const headers = { ...checkRecord(value, 'headers') };
  for (const name in headers) {
    // RFC 9110 token characters.
    check(/^[\w!#$%&'*+.^`|~-]+$/.test(name), name, 'header name', 'a token');
    checkHeaderValue(headers[name], name);
  }
  return headers as Record<string, string>;
}

/** An absolute http(s) URL, or for a backend also a path on this page's origin ("/api/chat"). */
export function checkUrl(value: unknown, what: string, allowRelative?: boolean): string {
  const url = checkText(value, what);
  let protocol: string | undefined;
  try {
    protocol = new URL(url, allowRelative ? 'http://h' : undefined).protocol;
  } catch {
    // not a URL: reported below
  }
  return check(protocol === 'http:' || protocol === 'https:', url, what, 'an http(s) URL');
}
