import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { dropConnection } from './drop-connection';
import type { NodeUpstream } from './node-upstream';
import { maxJsonBytes, type RelayOutcome } from './relay-stream';
import { errorMarkers, eventsEnd, timeoutEvent, usageMarker } from './sse-events';
import { type UpstreamCall, upstreamTimeout, upstreamUnreachable } from './upstream-call';
import { type UsageReport, usageFrom } from './usage';

/** How long events may wait to share one write to the client. */
const FLUSH_MS = 4;

export interface NodeRelayOptions {
  /** Longest wait for the upstream's response headers (then 504). */
  requestTimeoutMs: number;
  /** Longest silence from the upstream mid-reply (then an error event, or a dropped connection for JSON). */
  idleTimeoutMs: number;
  /** Longest wait for a client that stopped reading (then it is disconnected and the upstream aborted). */
  writeTimeoutMs: number;
}

// Each chunk is searched natively (Buffer.indexOf), at a cost per byte that is highest where the
// needle's first byte is common in the haystack (a quote, in JSON). So the searches start on rare
// letters: `usage":{` for the usage object, and a hint that each error marker ends in (`rror"`, or
// `failed"` for Responses' `response.failed`), the exact markers being searched only after a hint hit.
// (Encoded with TextEncoder, not Buffer: this module is in the bundle Workers load too, without Buffer.)
const bytesOf = (text: string) => new TextEncoder().encode(text);
const usageBytes = bytesOf(usageMarker.slice(1));
const errorHints = {
  'chat-completions': [bytesOf('rror"')],
  responses: [bytesOf('rror"'), bytesOf('failed"')],
};
const errorBytes = errorMarkers.map(bytesOf);
const dataPrefix = bytesOf('data:');
// As in upstream-error.ts: an error body is a few hundred bytes; a bigger one is not worth reading.
const maxErrorBytes = 16 * 1024;
const newline = 10;

/**
 * The proxy's upstream call on Node: sent with node:http(s), its reply written straight to `res`.
 * It keeps every promise the web-stream relay (`relayStream` behind `toNodeHandler`) makes: 504
 * before the first byte and an error event after it on a stalled upstream, which is then aborted;
 * redirects refused, not followed; whole SSE events only, so an added error event starts cleanly;
 * a client that stops reading is disconnected after `writeTimeoutMs`; a client that leaves aborts the
 * upstream; usage read once per reply; exactly one of `call`'s endings, once.
 *
 * What it saves is per-chunk work, which is most of a relay's CPU: no web-stream reads and writes
 * (each a promise and a copy between Node's and the web's stream machinery), no decoding. Each chunk
 * is searched as bytes (`Buffer.indexOf`, native) for the few markers that matter: the usage object,
 * which only the last event carries, and error events. Only an event with a marker is decoded and
 * parsed.
 *
 * Resolves with a refusal for `toNodeHandler` to write, or undefined once the reply is being written
 * (or the client left).
 */
export function relayToNode(
  call: UpstreamCall,
  upstream: NodeUpstream,
  res: ServerResponse,
  options: NodeRelayOptions,
): Promise<Response | undefined> {
  return new Promise((resolve) => {
    if (res.destroyed) {
      call.left(false);
      resolve(undefined);
      return;
    }
    let phase: 'waiting' | 'relaying' | 'done' = 'waiting';
    let upstreamRequest: ClientRequest;
    let retried = false;
    let endRelay: ((outcome: RelayOutcome) => void) | undefined;

    /** Ends the waiting phase with `response` (a refusal) or undefined (nothing more to write). */
    const answer = (response: Promise<Response> | undefined) => {
      phase = 'done';
      clearTimeout(requestTimer);
      resolve(response);
    };
    const requestTimer = setTimeout(() => {
      if (phase !== 'waiting') return;
      upstreamRequest.destroy();
      answer(call.refuse(upstreamTimeout));
    }, options.requestTimeoutMs);

    res.once('close', () => {
      if (phase === 'waiting') {
        upstreamRequest.destroy();
        call.left(true);
        answer(undefined);
      } else if (phase === 'relaying') {
        // The client went away (or was cut off for not reading): nothing more is relayed or generated.
        upstreamRequest.destroy();
        endRelay?.('aborted');
      }
    });

    const send = () => {
      const sent = upstream.post(call.url, call.headers, call.body);
      upstreamRequest = sent;
      sent.on('error', (error: NodeJS.ErrnoException) => {
        if (phase !== 'waiting' || sent !== upstreamRequest) return;
        // A kept-alive connection the upstream closed just as it was reused: the request went nowhere,
        // and Node's documentation recommends exactly this one retry on a fresh connection.
        if (!retried && sent.reusedSocket && error.code === 'ECONNRESET') {
          retried = true;
          send();
          return;
        }
        answer(call.refuse(upstreamUnreachable));
      });
      sent.on('response', (upstreamResponse) => {
        if (phase !== 'waiting' || sent !== upstreamRequest) {
          upstreamResponse.destroy();
          return;
        }
        const status = upstreamResponse.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          clearTimeout(requestTimer);
          phase = 'relaying';
          endRelay = relay(upstreamResponse, status);
          resolve(undefined);
        } else if (status >= 300 && status < 400) {
          // Never followed: the request, key included, would go wherever the upstream points.
          sent.destroy();
          answer(call.refuse(upstreamUnreachable));
        } else {
          readError(upstreamResponse, status);
        }
      });
      sent.end(call.body);
    };

    /** A non-2xx reply: its body (up to 16 KiB) mapped to the proxy's own redacted error. */
    const readError = (upstreamResponse: IncomingMessage, status: number) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (whole: boolean) => {
        if (phase !== 'waiting') return;
        const headers = new Headers();
        for (const name of ['content-type', 'retry-after', 'retry-after-ms', 'x-request-id']) {
          const value = upstreamResponse.headers[name];
          if (typeof value === 'string') headers.set(name, value);
        }
        const body = whole ? Buffer.concat(chunks) : null;
        answer(call.refuseUpstreamError(new Response(body, { status: Math.min(status, 599), headers })));
      };
      upstreamResponse.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxErrorBytes) chunks.push(chunk);
        else upstreamResponse.destroy();
      });
      upstreamResponse.on('end', () => done(true));
      upstreamResponse.on('error', () => {});
      upstreamResponse.on('close', () => done(false));
    };

    /** A 2xx reply, written to `res` as it comes; returns how to end it early. */
    const relay = (upstreamResponse: IncomingMessage, status: number) => {
      const { api } = call;
      const hints = errorHints[api];
      // Read from rawHeaders: `headers` is built on first use, for every header, per reply.
      let requestId: string | null = null;
      let contentType: string | undefined;
      let encoding = 'identity';
      const raw = upstreamResponse.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i]!.toLowerCase();
        if (name === 'x-request-id') requestId ??= raw[i + 1]!;
        else if (name === 'content-type') contentType ??= raw[i + 1]!;
        else if (name === 'content-encoding') encoding = raw[i + 1]!.trim().toLowerCase();
      }
      call.started(requestId);
      let source: NodeJS.ReadableStream = upstreamResponse;
      // A coding the relay cannot undo is passed through as it came, unread (usage unknown).
      let opaque = false;
      if (encoding !== 'identity') {
        const decoder = upstream.decoder(encoding);
        if (decoder) source = upstreamResponse.pipe(decoder);
        else opaque = true;
      }
      const sse = !opaque && (contentType ?? '').includes('text/event-stream');
      let json: Buffer[] | undefined = sse || opaque ? undefined : [];
      let jsonBytes = 0;
      let usage: UsageReport | undefined;
      let errorSeen = false;
      // SSE is passed on whole events at a time, as in relayStream: the bytes after the last blank line
      // wait for the rest of their event (usually there are none: chunks end with events).
      let held: Buffer[] = [];
      let before1 = newline;
      let before2 = newline;
      let paused = false;
      let writeTimer: ReturnType<typeof setTimeout> | undefined;
      let idleTimer: ReturnType<typeof setTimeout> | undefined;
      let lastActivity = Date.now();

      const end = (outcome: RelayOutcome) => {
        if (phase !== 'relaying') return;
        phase = 'done';
        clearTimeout(idleTimer);
        clearTimeout(writeTimer);
        call.end(outcome, status, usage);
      };

      // Upstream headers such as set-cookie or openai-organization stay on the server.
      const headers: Record<string, string> = { ...call.cors };
      if (contentType !== undefined) headers['content-type'] = contentType;
      if (requestId !== null) headers['x-request-id'] = requestId;
      if (opaque) headers['content-encoding'] = encoding;
      headers['cache-control'] = 'no-cache, no-transform';
      // nginx and similar buffer responses by default, which would hold back a stream until it ends.
      headers['x-accel-buffering'] = 'no';
      try {
        res.writeHead(status, headers);
        // Headers go out now so a streaming client learns the status before the first token exists.
        res.flushHeaders();
      } catch {
        // A header value Node refuses to send: the client gets a dropped connection, not half a reply.
        upstreamRequest.destroy();
        res.destroy();
        end('failed');
        return end;
      }

      const scan = (events: Buffer) => {
        if (!errorSeen) {
          for (const hint of hints) {
            if (events.indexOf(hint) === -1) continue;
            errorSeen = errorBytes.some((marker) => events.indexOf(marker) !== -1);
            break;
          }
        }
        let at = events.indexOf(usageBytes);
        while (at !== -1) {
          const start = events.lastIndexOf(newline, at) + 1;
          let stop = events.indexOf(newline, at);
          if (stop === -1) stop = events.length;
          if (events.subarray(start, start + dataPrefix.length).equals(dataPrefix)) {
            try {
              usage =
                usageFrom(api, JSON.parse(events.toString('utf8', start + dataPrefix.length, stop))) ?? usage;
            } catch {
              // Not an event this relay understands; the client gets it as it came.
            }
          }
          at = events.indexOf(usageBytes, stop);
        }
      };

      const onDrain = () => {
        clearTimeout(writeTimer);
        paused = false;
        if (phase !== 'relaying') return;
        lastActivity = Date.now();
        source.resume();
      };
      const send = (bytes: Buffer) => {
        if (res.write(bytes) || paused) return;
        // Backpressure: stop reading from the upstream until the client takes more. A client that
        // stopped reading would otherwise hold this response (and its upstream) forever.
        paused = true;
        source.pause();
        writeTimer = setTimeout(() => res.destroy(), options.writeTimeoutMs);
        res.once('drain', onDrain);
      };

      // Events that arrive within FLUSH_MS of each other go to the client in one write: a write per
      // upstream read is most of a relay's CPU when the upstream streams fast.
      let gathered: Buffer[] = [];
      let flushTimer: ReturnType<typeof setTimeout> | undefined;
      const flush = () => {
        flushTimer = undefined;
        if (gathered.length === 0 || res.writableEnded || res.destroyed) return;
        const bytes = gathered.length === 1 ? gathered[0]! : Buffer.concat(gathered);
        gathered = [];
        send(bytes);
      };
      const write = (bytes: Buffer) => {
        gathered.push(bytes);
        flushTimer ??= setTimeout(flush, FLUSH_MS);
      };
      source.on('data', (chunk: Buffer) => {
        if (phase !== 'relaying' || chunk.length === 0) return;
        lastActivity = Date.now();
        if (!sse) {
          if (json) {
            jsonBytes += chunk.length;
            if (jsonBytes > maxJsonBytes) json = undefined;
            else json.push(chunk);
          }
          write(chunk);
          return;
        }
        const length = chunk.length;
        const eventEnd = eventsEnd(chunk, before1, before2);
        if (length >= 2) {
          before2 = chunk[length - 2]!;
          before1 = chunk[length - 1]!;
        } else {
          before2 = before1;
          before1 = chunk[0]!;
        }
        if (eventEnd === 0) {
          held.push(chunk);
          return;
        }
        let events = eventEnd === length ? chunk : chunk.subarray(0, eventEnd);
        if (held.length > 0) {
          held.push(events);
          events = Buffer.concat(held);
          held = [];
        }
        if (eventEnd < length) held.push(chunk.subarray(eventEnd));
        scan(events);
        write(events);
      });

      source.on('end', () => {
        if (phase !== 'relaying') return;
        if (held.length > 0) {
          const rest = Buffer.concat(held);
          held = [];
          scan(rest);
          gathered.push(rest);
        }
        clearTimeout(flushTimer);
        flush();
        if (json) {
          try {
            usage = usageFrom(api, JSON.parse(Buffer.concat(json).toString('utf8')));
          } catch {
            // Not JSON after all: relayed as it came, with no usage.
          }
        }
        res.end();
        end(errorSeen ? 'failed' : 'completed');
      });

      // The upstream's connection broke mid-reply: the client's is dropped too, after the whole events
      // already relayed (as toNodeHandler does when relayStream errors), so the client sees a cut-off
      // reply, keeps its partial text, and may retry; a reply that merely ended would look complete.
      const broken = () => {
        if (phase !== 'relaying') return;
        clearTimeout(flushTimer);
        flush();
        upstreamRequest.destroy();
        dropConnection(res);
        end('failed');
      };
      source.on('error', broken);
      if (source !== upstreamResponse) upstreamResponse.on('error', broken);
      upstreamResponse.on('close', () => {
        if (!upstreamResponse.complete) broken();
      });

      // One timer per idle period, not per chunk: it re-arms itself for the time still left. It does not
      // count time spent waiting for the client to read.
      const armIdle = (ms: number) => {
        idleTimer = setTimeout(() => {
          if (phase !== 'relaying') return;
          const left = lastActivity + options.idleTimeoutMs - Date.now();
          if (paused || left > 0) {
            armIdle(paused ? options.idleTimeoutMs : left);
            return;
          }
          upstreamRequest.destroy();
          clearTimeout(flushTimer);
          flush();
          if (sse) res.end(timeoutEvent(api, options.idleTimeoutMs));
          else dropConnection(res);
          end('failed');
        }, ms);
      };
      armIdle(options.idleTimeoutMs);
      return end;
    };

    send();
  });
}
