import type { ProxyApi } from './api-route';
import { errorMarkers, eventsEnd, timeoutEvent, usageMarker } from './sse-events';
import { type UsageReport, usageFrom } from './usage';

/** How a relayed reply ended. */
export type RelayOutcome = 'completed' | 'failed' | 'aborted';

/** What the relay learned by the time the reply ended. */
export interface RelayEnd {
  outcome: RelayOutcome;
  usage: UsageReport | undefined;
}

export interface RelayOptions {
  api: ProxyApi;
  /** Server-Sent Events (usage read event by event) rather than one JSON body (read at its end). */
  sse: boolean;
  /** Longest silence from the upstream before the reply is ended with an error event. */
  idleMs: number;
  /** Stops the upstream request: called on idle timeout and when the client goes away. */
  abortUpstream: () => void;
  /** Called exactly once, when the reply ends for whatever reason. */
  onEnd: (end: RelayEnd) => void;
}

// A JSON reply is read whole to find its usage; past this size (no real completion is near it) it is
// only relayed.
export const maxJsonBytes = 4 * 1024 * 1024;

/**
 * The upstream's body, relayed chunk by chunk as the client reads it (never buffered), while it reads
 * the reply's usage and watches for silence.
 *
 * Usage costs little per chunk: each chunk is decoded and searched for the `"usage":{` that only the
 * last Chat Completions chunk (every other one says `"usage":null`) and Responses' final
 * `response.completed` / `response.incomplete` events carry; only that one event is parsed. An error
 * event in the stream marks the reply failed. If the upstream sends nothing for `idleMs`, the upstream
 * request is aborted and the reply ends with an error event in the API's own shape (code
 * `upstream_timeout`), so the client reports a timeout instead of waiting forever. If the upstream's
 * connection breaks mid-reply, the stream errors, so the client's connection is dropped.
 */
export function relayStream(
  upstream: ReadableStream<Uint8Array>,
  options: RelayOptions,
): ReadableStream<Uint8Array> {
  const { api, sse, idleMs } = options;
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let usage: UsageReport | undefined;
  let errorSeen = false;
  let ended = false;
  // The current SSE line, when a chunk ended inside it (kept as fragments: joining per chunk would be
  // quadratic for one long `response.completed` line spread over many chunks).
  let partialLine: string[] = [];
  let json: string[] | undefined = sse ? undefined : [];
  let jsonBytes = 0;
  // SSE is passed on whole events at a time: the bytes after the last blank line wait for the rest of
  // their event. Then an error event added on a timeout always starts cleanly, never glued to half an
  // event. Pieces are kept as they came (no copying) and usually there are none: chunks end with events.
  let held: Uint8Array[] = [];
  let before1 = 10;
  let before2 = 10;

  // One timer per idle period, not per chunk: it re-arms itself for the time still left.
  let lastActivity = Date.now();
  let waiting = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let onIdle: (() => void) | undefined;
  const armIdle = (ms: number) => {
    idleTimer = setTimeout(() => {
      const left = lastActivity + idleMs - Date.now();
      if (!waiting || left > 0) armIdle(waiting ? left : idleMs);
      else onIdle?.();
    }, ms);
  };

  const finish = (outcome: RelayOutcome) => {
    if (ended) return;
    ended = true;
    clearTimeout(idleTimer);
    options.onEnd({ outcome, usage });
  };

  const scanSse = (text: string) => {
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak === -1) {
      partialLine.push(text);
      return;
    }
    let complete = text.slice(0, lastBreak);
    if (partialLine.length > 0) complete = partialLine.join('') + complete;
    partialLine = lastBreak + 1 < text.length ? [text.slice(lastBreak + 1)] : [];
    if (errorMarkers.some((marker) => complete.includes(marker))) errorSeen = true;
    let at = complete.indexOf(usageMarker);
    while (at !== -1) {
      const start = complete.lastIndexOf('\n', at) + 1;
      const end = complete.indexOf('\n', at);
      const line = complete.slice(start, end === -1 ? undefined : end);
      if (line.startsWith('data:')) {
        try {
          usage = usageFrom(api, JSON.parse(line.slice(5))) ?? usage;
        } catch {
          // Not an event this relay understands; the client gets it as it came.
        }
      }
      at = complete.indexOf(usageMarker, end === -1 ? complete.length : end);
    }
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      onIdle = () => {
        if (ended) return;
        options.abortUpstream();
        reader.cancel().catch(() => {});
        if (sse) {
          held = [];
          controller.enqueue(encoder.encode(timeoutEvent(api, idleMs)));
          controller.close();
        } else {
          controller.error(new Error('The upstream stopped sending.'));
        }
        finish('failed');
      };
      armIdle(idleMs);
    },
    async pull(controller) {
      // A read that completes no event enqueues nothing, and a stream's pull is not called again until
      // something is enqueued: so reading goes on here until an event is whole (or the reply ends).
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        waiting = true;
        try {
          chunk = await reader.read();
        } catch (error) {
          if (ended) return;
          // The upstream's connection broke: erroring the stream drops the client's connection too (see
          // toNodeHandler), so it sees a cut-off reply rather than one that looks complete.
          controller.error(error);
          finish('failed');
          return;
        } finally {
          waiting = false;
          lastActivity = Date.now();
        }
        if (ended) return;
        if (chunk.done) {
          for (const piece of held) controller.enqueue(piece);
          if (json) {
            try {
              usage = usageFrom(api, JSON.parse(json.join('') + decoder.decode()));
            } catch {
              // Not JSON after all: relayed as it came, with no usage.
            }
          }
          controller.close();
          finish(errorSeen ? 'failed' : 'completed');
          return;
        }
        const bytes = chunk.value;
        let incomplete = false;
        const text = decoder.decode(bytes, { stream: true });
        if (sse) {
          const end = eventsEnd(bytes, before1, before2);
          if (end === 0) {
            held.push(bytes);
            incomplete = true;
          } else {
            for (const piece of held) controller.enqueue(piece);
            controller.enqueue(end === bytes.length ? bytes : bytes.subarray(0, end));
            held = end === bytes.length ? [] : [bytes.subarray(end)];
          }
          if (bytes.length >= 2) [before2, before1] = [bytes[bytes.length - 2]!, bytes[bytes.length - 1]!];
          else if (bytes.length === 1) [before2, before1] = [before1, bytes[0]!];
          scanSse(text);
        } else {
          controller.enqueue(bytes);
        }
        if (json) {
          jsonBytes += bytes.byteLength;
          if (jsonBytes > maxJsonBytes) json = undefined;
          else json.push(text);
        }
        if (!incomplete) return;
      }
    },
    cancel() {
      // The client went away (or stopped reading for too long): nothing more is relayed or generated.
      options.abortUpstream();
      reader.cancel().catch(() => {});
      finish('aborted');
    },
  });
}
