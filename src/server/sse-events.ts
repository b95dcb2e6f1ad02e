import type { ProxyApi } from './api-route';

// What both relays look for in an upstream's SSE bytes. They are structural (a JSON key or value
// spelled with its quotes), so text a model writes, which arrives with its quotes escaped, never matches.
/** Only the usage-carrying events have a usage object (every other Chat Completions chunk says `"usage":null`). */
export const usageMarker = '"usage":{';
/** Markers of an error event: Chat Completions' `data: {"error":…}`, Responses' `error` and `response.failed`. */
export const errorMarkers = ['data: {"error"', '"type":"error"', '"type":"response.failed"'] as const;

/**
 * Where the last complete SSE event in `bytes` ends (after its blank line: `\n\n` or `\n\r\n`), or 0
 * when none ends in it. `before1`/`before2` are the two bytes received just before `bytes`.
 * It looks backwards from the end, so a chunk that ends with its event (the usual case) costs O(1).
 */
export function eventsEnd(bytes: Uint8Array, before1: number, before2: number): number {
  const at = (index: number) => (index >= 0 ? bytes[index]! : index === -1 ? before1 : before2);
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] !== 10) continue;
    const previous = at(i - 1);
    if (previous === 10 || (previous === 13 && at(i - 2) === 10)) return i + 1;
  }
  return 0;
}

/** An error event in the API's own shape, as OpenAI sends its errors mid-stream. */
function errorEvent(api: ProxyApi, code: string, message: string): string {
  if (api === 'responses') {
    return `event: error\ndata: ${JSON.stringify({ type: 'error', code, message, param: null })}\n\n`;
  }
  return `data: ${JSON.stringify({ error: { message, type: 'upstream_error', code } })}\n\n`;
}

/** The error event a stalled stream ends with (code `upstream_timeout`). */
export function timeoutEvent(api: ProxyApi, idleMs: number): string {
  const seconds = Math.round(idleMs / 1000);
  return errorEvent(
    api,
    'upstream_timeout',
    `The model provider sent nothing for ${seconds} s, so the reply was ended.`,
  );
}
