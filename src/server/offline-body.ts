import { type Frame, pacedStream } from './paced-stream';

/** How a reply is sent: the request's own choices and the model's pacing. */
export interface OfflineDelivery {
  stream: boolean;
  /** Chat Completions only: send a usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  delayMs: number;
  signal: AbortSignal;
  headers: Record<string, string>;
}

/** A JSON body; a dropped one sends its first half and then fails. */
export function jsonBody(json: string, drop: boolean, delivery: OfflineDelivery): Response {
  const frames = [{ text: drop ? json.slice(0, Math.floor(json.length / 2)) : json }];
  return new Response(pacedStream(frames, { delayMs: 0, signal: delivery.signal, fail: drop }), {
    headers: { ...delivery.headers, 'content-type': 'application/json' },
  });
}

/** An SSE body paced at the model's speed. */
export function sseBody(frames: Frame[], drop: boolean, delivery: OfflineDelivery): Response {
  return new Response(
    pacedStream(frames, { delayMs: delivery.delayMs, signal: delivery.signal, fail: drop }),
    {
      headers: {
        ...delivery.headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      },
    },
  );
}

/** Random lowercase hex, for ids shaped like OpenAI's. */
export function randomHex(length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}
