const MAX_WAIT_MS = 60_000;

/**
 * How long the server asked us to wait, in ms, or undefined when it did not say.
 * `retry-after-ms` (OpenAI's own, fractional ms) wins over `retry-after` (RFC 9110: seconds or an
 * HTTP date). A longer wait than a minute is capped rather than obeyed: the caller is a person.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const after = headers.get('retry-after') ?? '';
  let wait = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isNaN(wait) && after) {
    wait = /^[\d.]+$/.test(after) ? Number(after) * 1000 : Date.parse(after) - Date.now();
  }
  // A date in the past means now; NaN (unreadable) means the server did not say.
  return wait >= 0 ? Math.min(wait, MAX_WAIT_MS) : wait < 0 ? 0 : undefined;
}
