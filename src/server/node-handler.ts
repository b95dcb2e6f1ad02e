import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidConfig } from '../core/errors';
import { dropConnection } from './drop-connection';
import type { FetchHandler } from './handler';
import { internalError, invalidRequest, jsonError } from './json-error';
import { fastPathOf } from './node-fast-path';
import type { RequestHead } from './request-head';

/** Options of `toNodeHandler`. */
export interface NodeHandlerOptions {
  /**
   * Longest wait, in ms, for a client that stopped reading to take more of the response; the connection
   * is then closed and the handler's body (the upstream request, for the proxy) cancelled. Default 30,000.
   */
  writeTimeoutMs?: number;
}

/** A request as Express and similar frameworks hand it on: perhaps with a body a parser already read. */
type NodeRequest = IncomingMessage & { body?: unknown };

/**
 * Adapts a Fetch-standard handler to `node:http` (and Express, Fastify's raw mode, Next's pages API):
 * `http.createServer(toNodeHandler(handler))`. The handler gets the connection's address as
 * `{ clientAddress }`, its second argument.
 *
 * The request body reaches the handler as a stream, read only as fast as the handler reads it; when a
 * body parser such as `express.json()` already read it, the parsed `req.body` is passed on instead
 * (re-serialized as JSON unless it is a string or a Buffer). `request.signal` aborts, and an unfinished
 * body read fails, when the client's connection closes before the response is complete. The response is
 * written chunk by chunk as the handler's body produces it, never buffered, and a client that stops
 * reading for `writeTimeoutMs` is disconnected. If the body fails midway, the connection is closed
 * without the response's final chunk, so the client sees a dropped connection rather than a response
 * that merely looks short.
 *
 * A handler from `createOpenAiProxy()` with a URL upstream, passed as it is (not wrapped), is served
 * on a Node-only path with the same behaviour and less CPU: its upstream request goes out through
 * node:http(s) and the reply is written straight to `res`, without web streams in between.
 */
export function toNodeHandler(
  handler: FetchHandler,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  if (typeof handler !== 'function') {
    throw invalidConfig('toNodeHandler: pass a handler function, (request) => Response.');
  }
  const writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  if (!(writeTimeoutMs > 0)) throw invalidConfig('toNodeHandler: writeTimeoutMs must be a positive number.');
  return (req, res) => {
    // Only Node itself can fail here (a header value it refuses): answer 500 if still possible.
    serve(handler, req, res, writeTimeoutMs).catch(() => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end();
    });
  };
}

async function serve(
  handler: FetchHandler,
  req: NodeRequest,
  res: ServerResponse,
  writeTimeoutMs: number,
): Promise<void> {
  const aborter = new AbortController();
  // `res` closes early exactly when the client went away; `req`'s own 'close' only means its body ended.
  res.once('close', () => {
    if (!res.writableFinished) aborter.abort(new Error('The client closed the connection.'));
  });

  let bodyCutOff = false;
  const cutOff = () => {
    bodyCutOff = true;
  };
  let response: Response | undefined;
  try {
    const fastPath = fastPathOf(handler);
    const connection = { clientAddress: req.socket.remoteAddress };
    if (!originForm(req)) {
      cutOff();
      response = jsonError(badTarget);
    } else if (fastPath) {
      const parsed = hasParsedBody(req);
      const unread = hasUnreadBody(req);
      if (hasBody(req) && !parsed && !unread) response = bodyAlreadyRead();
      else {
        let request: Request | undefined;
        let read = false;
        response = await fastPath.serve({
          head: headOf(req, parsed),
          request: () => (request ??= toRequest(req, { parsed })!),
          // Read only once the checks that need no body passed: a refused client's body, however
          // slowly it comes, is not waited for or held.
          body: parsed
            ? parsedBytes(req.body)
            : unread
              ? () => {
                  read = true;
                  return readWhole(req, fastPath.maxBodyBytes, aborter.signal, cutOff);
                }
              : null,
          signal: aborter.signal,
          connection,
          res,
          writeTimeoutMs,
        });
        // Refused before its body was read, Node reads the rest to discard it, keeping the connection.
        // A body declared too large, or of no declared length, could go on for ever: the connection
        // ends with the refusal instead.
        if (unread && !read && !(Number(req.headers['content-length']) <= fastPath.maxBodyBytes)) cutOff();
      }
    } else {
      const request = toRequest(req, { signal: aborter.signal, onCancel: cutOff });
      response = request ? await handler(request, connection) : bodyAlreadyRead();
    }
  } catch {
    response = internalError();
  }
  // The fast path wrote the response itself.
  if (!response) return;
  if (res.destroyed) {
    await response.body?.cancel().catch(() => {});
    return;
  }

  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const setCookies = response.headers.getSetCookie();
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  if (setCookies.length > 0) res.setHeader('set-cookie', setCookies);
  // The handler stopped reading a body the client is still sending (a 413): reading the rest only to
  // discard it would defeat the limit, so this connection ends with the response.
  if (bodyCutOff && !req.readableEnded) res.setHeader('connection', 'close');

  if (!response.body || req.method === 'HEAD') {
    await response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  // Headers go out now so a streaming client learns the status before the first token exists.
  res.flushHeaders();
  await pipeBody(response.body, res, writeTimeoutMs);
}

// Reading `req` again would wait forever for an 'end' that was already emitted. A function, not one
// shared Response: a body can be read once, and workerd refuses to build a Response at module load.
const bodyAlreadyRead = () =>
  jsonError({
    status: 500,
    type: 'server_error',
    code: 'body_already_read',
    message:
      'The request body was already read by other middleware but not left as req.body; mount the handler before that body parser.',
  });

async function pipeBody(
  body: ReadableStream<Uint8Array>,
  res: ServerResponse,
  writeTimeoutMs: number,
): Promise<void> {
  const reader = body.getReader();
  const onClose = () => {
    reader.cancel().catch(() => {});
  };
  res.once('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          // A client that stopped reading would otherwise hold this response (and its upstream) forever.
          const timer = setTimeout(() => res.destroy(), writeTimeoutMs);
          const resume = () => {
            clearTimeout(timer);
            res.off('drain', resume);
            res.off('close', resume);
            resolve();
          };
          res.on('drain', resume);
          res.on('close', resume);
        });
      }
    }
    res.end();
  } catch {
    dropConnection(res);
  } finally {
    res.off('close', onClose);
  }
}

const hasUnreadBody = (req: NodeRequest) => hasBody(req) && !req.readableEnded && !req.readableDidRead;

/**
 * The body of `req`, read whole: at most one chunk past `limit` (then `onCutOff` is called and reading
 * stops), or nothing when `content-length` already says it is past it. Rejects when the client left or
 * the read failed.
 */
function readWhole(
  req: IncomingMessage,
  limit: number,
  signal: AbortSignal,
  onCutOff: () => void,
): Promise<Uint8Array> {
  if (Number(req.headers['content-length']) > limit) {
    onCutOff();
    return Promise.resolve(new Uint8Array(0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: Uint8Array | Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', settle);
      signal.removeEventListener('abort', onAbort);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        req.pause();
        onCutOff();
        settle(Buffer.concat(chunks));
      }
    };
    const onEnd = () => settle(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    // A client that disconnects mid-body never sends 'end': the read fails instead of waiting forever.
    const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', settle);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
  });
}

/** How `toRequest` gives the body: streamed, for a handler; or left out, for the fast path. */
type BodyPlan = { signal: AbortSignal; onCancel: () => void } | { parsed: boolean };

/**
 * The Fetch Request for `req`, or undefined when its body was consumed and nothing parsed is left.
 * With `{ signal, onCancel }` it carries the body (streamed, or what a body parser left) and aborts
 * with `signal`; with `{ parsed }` it carries neither, and drops the length headers when `parsed`
 * (the fast path gets the body itself, re-serialized from what a body parser left).
 */
function toRequest(req: NodeRequest, plan: BodyPlan): Request | undefined {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    // HTTP/2 pseudo-headers (`:path`, …) are not headers a Request may carry.
    if (!name.startsWith(':')) headers.append(name, req.rawHeaders[i + 1]!);
  }
  // `duplex: 'half'` is required by Node's fetch for a streaming request body; the DOM types lack it.
  const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers };
  let parsed = 'parsed' in plan && plan.parsed;
  if ('signal' in plan) {
    init.signal = plan.signal;
    if (hasUnreadBody(req)) {
      init.body = bodyStream(req, plan.signal, plan.onCancel);
      init.duplex = 'half';
    } else if (hasParsedBody(req)) {
      init.body = parsedBody(req.body);
      parsed = true;
    } else if (hasBody(req)) {
      return undefined;
    }
  }
  if (parsed) for (const name of bodyHeaders) headers.delete(name);
  return new Request(urlOf(req), init);
}

/**
 * The method, URL and headers of `req` as its Fetch Request gives them, without building one (which
 * costs more than all the proxy's checks). `parsed` as for `toRequest`.
 */
function headOf(req: NodeRequest, parsed: boolean): RequestHead {
  const raw = req.rawHeaders;
  return {
    method: req.method ?? 'GET',
    url: urlOf(req).href,
    headers: {
      // As `Headers.get`: the values of every line with that name, joined by ", ".
      get(name) {
        const wanted = name.toLowerCase();
        if (parsed && bodyHeaders.includes(wanted)) return null;
        let value: string | null = null;
        for (let i = 0; i < raw.length; i += 2) {
          if (raw[i]!.toLowerCase() === wanted)
            value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]}`;
        }
        return value;
      },
    },
  };
}

// Joined as text, not resolved against a base: resolving would let a target of `//other.host/path`
// name the host, and `allowedHosts` must check the Host header the browser sent.
const urlOf = (req: NodeRequest) => {
  const secure = 'encrypted' in req.socket && req.socket.encrypted === true;
  return new URL(`${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`);
};

/**
 * Whether the request target is a path (`/api/chat?x`) and the Host header a bare host[:port]. An
 * absolute-form target (`http://other.host/…`, which HTTP/1.1 says overrides Host) or a Host with a
 * path or user part in it could otherwise make the URL's host differ from the Host that was checked.
 */
const originForm = (req: NodeRequest) =>
  (req.url ?? '/').startsWith('/') && !/[/\\?#@]/.test(req.headers.host ?? '');

const badTarget = invalidRequest(
  400,
  'invalid_request_target',
  'Send the request to a path on this server (origin-form), with a plain Host header.',
);

// A body a parser left is re-serialized: the client's length and coding no longer describe it.
const bodyHeaders = ['content-length', 'content-encoding', 'transfer-encoding'];

const hasBody = (req: NodeRequest) => req.method !== 'GET' && req.method !== 'HEAD';
const hasParsedBody = (req: NodeRequest) => hasBody(req) && !hasUnreadBody(req) && req.body !== undefined;

/** What a body parser left, as the bytes of the body it stands for. */
function parsedBytes(body: unknown): Uint8Array {
  const serialized = parsedBody(body);
  return typeof serialized === 'string' ? new TextEncoder().encode(serialized) : serialized;
}

function parsedBody(body: unknown): string | Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  return JSON.stringify(body) ?? '';
}

function bodyStream(
  req: IncomingMessage,
  signal: AbortSignal,
  onCancel: () => void,
): ReadableStream<Uint8Array> {
  // Node may still emit after the stream is closed or cancelled (it drains an unread body itself).
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        // Backpressure: stop reading from the socket until the handler asks for more.
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => {
        if (open) controller.close();
        open = false;
      });
      req.once('error', (error) => {
        if (open) controller.error(error);
        open = false;
      });
      // A client that disconnects mid-body never sends 'end': the read fails instead of waiting forever.
      signal.addEventListener(
        'abort',
        () => {
          if (open) controller.error(signal.reason);
          open = false;
        },
        { once: true },
      );
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.pause();
      onCancel();
    },
  });
}
