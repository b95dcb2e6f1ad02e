import { invalidConfig } from '../core/errors';

// Builders check every value at the `with*` call, so a mistake points at the line that made it
// instead of surfacing as a failed request later. Messages share one shape ("model: expected …"),
// which keeps them consistent and small.

/** The `invalid-config` error for `what`, saying what was expected instead. */
export function expected(what: string, instead: string): Error {
  return invalidConfig(`${what}: expected ${instead}`);
}

/** A string with something in it. */
export function checkText(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value.trim()) throw expected(what, 'a non-empty string');
  return value;
}

/** One of a fixed set of strings. */
export function checkChoice<T extends string>(value: unknown, choices: readonly T[], what: string): T {
  if (!choices.includes(value as T)) throw expected(what, choices.join(' | '));
  return value as T;
}

/** A count or duration within `[min, max]`; `integer` for counts. */
export function checkNumber(
  value: unknown,
  min: number,
  max: number,
  what: string,
  integer?: boolean,
): number {
  if (typeof value !== 'number' || !(value >= min && value <= max) || (integer && value % 1)) {
    throw expected(what, `a${integer ? 'n integer' : ' number'} from ${min} to ${max}`);
  }
  return value;
}

/** A plain object (not null, not an array). */
export function checkRecord(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw expected(what, 'an object');
  return value as Record<string, unknown>;
}

// RFC 9110 token characters for names; values are printable ASCII, which also shuts out the CR/LF of
// header injection and anything `fetch` would reject when the request is made.
const HEADER_NAME = /^[\w!#$%&'*+.^`|~-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** A header value that cannot inject another header. */
export function checkHeaderValue(value: unknown, what: string): string {
  if (typeof value !== 'string' || !HEADER_VALUE.test(value)) throw expected(what, 'printable ASCII');
  return value;
}

/** A record of request headers; returns a frozen copy so later changes to the argument do nothing. */
export function checkHeaders(value: unknown): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(checkRecord(value, 'headers'))) {
    if (!HEADER_NAME.test(name)) throw expected('header name', 'a token');
    headers[name] = checkHeaderValue(v, name);
  }
  return Object.freeze(headers);
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
  if (protocol !== 'http:' && protocol !== 'https:') throw expected(what, 'an http(s) URL');
  return url;
}
