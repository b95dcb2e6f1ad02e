// Upstream error messages can quote the key they were given: OpenAI's 401 says "Incorrect API key
// provided: sk-abc****wxyz". A masked key is still a piece of the secret, so anything key-shaped goes.
const keyShaped = /sk-[A-Za-z0-9_*-]{3,}|\S*\*{4}\S*/g;

/** Removes the key itself and anything that looks like a (masked) key from text bound for a client. */
export function redactKey(text: string, apiKey: string | undefined): string {
  const withoutKey = apiKey ? text.split(apiKey).join('[redacted]') : text;
  return withoutKey.replace(keyShaped, '[redacted]');
}
