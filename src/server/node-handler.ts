import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidConfig } from '../core/errors';
import { dropConnection } from './drop-connection';
import type { FetchHandler } from './handler';
import { internalError, jsonError } from './json-error';
import { fastPathOf } from './node-fast-path';

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
    const read =
      fastPath && hasUnreadBody(req)
        ? await readWhole(req, fastPath.maxBodyBytes, aborter.signal, cutOff)
        : undefined;
    const request = toRequest(req, aborter.signal, cutOff, read);
    const connection = { clientAddress: req.socket.remoteAddress };
    if (!request) response = bodyAlreadyRead();
    else if (fastPath) response = await fastPath.serve(request, connection, res, writeTimeoutMs);
    else response = await handler(request, connection);
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

const hasUnreadBody = (req: NodeRequest) =>
  req.method !== 'GET' && req.method !== 'HEAD' && !req.readableEnded && !req.readableDidRead;

/**
 * The body of `req`, read whole: at most one chunk past `limit` (then `onCutOff` is called and reading
 * stops), nothing when `content-length` already says it is past it, or the failure when the client
 * left or the read failed.
 */
function readWhole(
  req: IncomingMessage,
  limit: number,
  signal: AbortSignal,
  onCutOff: () => void,
): Promise<Uint8Array | Error> {
  if (Number(req.headers['content-length']) > limit) {
    onCutOff();
    return Promise.resolve(new Uint8Array(0));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: Uint8Array | Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', settle);
      signal.removeEventListener('abort', onAbort);
      resolve(result);
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

/**
 * The Fetch Request for `req`, or undefined when its body was consumed and nothing parsed is left.
 * `read` is its body when it was read beforehand (`readWhole`): the bytes, or the read's failure.
 */
function toRequest(
  req: NodeRequest,
  signal: AbortSignal,
  onCancel: () => void,
  read?: Uint8Array | Error,
): Request | undefined {
  const secure = 'encrypted' in req.socket && req.socket.encrypted === true;
  const url = new URL(req.url ?? '/', `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    // HTTP/2 pseudo-headers (`:path`, …) are not headers a Request may carry.
    if (!name.startsWith(':')) headers.append(name, req.rawHeaders[i + 1]!);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  // `duplex: 'half'` is required by Node's fetch for a streaming request body; the DOM types lack it.
  const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers, signal };
  if (hasBody) {
    const alreadyRead = req.readableEnded || req.readableDidRead;
    if (read instanceof Uint8Array) {
      init.body = read as Uint8Array<ArrayBuffer>;
    } else if (read) {
      // The same failure a streamed body would have given the handler's read.
      init.body = new ReadableStream({ start: (controller) => controller.error(read) });
      init.duplex = 'half';
    } else if (!alreadyRead) {
      init.body = bodyStream(req, signal, onCancel);
      init.duplex = 'half';
    } else if (req.body === undefined) {
      return undefined;
    } else {
      init.body = parsedBody(req.body);
      // The parsed body, re-serialized, is not the length the client declared.
      headers.delete('content-length');
      headers.delete('content-encoding');
      headers.delete('transfer-encoding');
    }
  }
  return new Request(url, init);
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
