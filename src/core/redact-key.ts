// Upstream messages can echo a masked key back ("Incorrect API key provided: sk-test-****abcd"), and a
// proxy may echo a header. Anything shaped like a key, a masked key or a bearer token is replaced.
const KEY_LIKE = /\b(?:sk|rk|pk|sess)-[\w*-]{4,}|[^\s<>"']*\*{3,}[^\s<>"'.,;]*|Bearer\s+\S+/g;

/** Replaces the exact `key` (if given) and anything key-like in `text` with `[redacted]`. */
export function redactKey(text: string, key?: string): string {
  if (key) text = text.split(key).join('[redacted]');
  return text.replace(KEY_LIKE, '[redacted]');
}
