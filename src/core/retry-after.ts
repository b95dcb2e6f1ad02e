const MAX_WAIT_MS = 60_000;

/**
 * How long the server asked us to wait, in ms, or undefined when it did not say.
 * `retry-after-ms` (OpenAI's own, fractional ms) wins over `retry-after` (RFC 9110: seconds or an
 * HTTP date). A longer wait than a minute is capped rather than obeyed: the caller is a person.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  let wait = ms ? Number.parseFloat(ms) : Number.NaN;
  if (Number.isNaN(wait)) {
    const after = headers.get('retry-after');
    if (!after) return undefined;
    wait = /^\s*\d+(\.\d+)?\s*$/.test(after) ? Number(after) * 1000 : Date.parse(after) - Date.now();
    if (Number.isNaN(wait)) return undefined;
  }
  return Math.min(Math.max(wait, 0), MAX_WAIT_MS);
}
