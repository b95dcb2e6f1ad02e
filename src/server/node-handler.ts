import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchHandler } from './handler';
import { internalError } from './json-error';

/**
 * Adapts a Fetch-standard handler to `node:http` (and Express, Fastify's raw mode, Next's pages API):
 * `http.createServer(toNodeHandler(handler))`.
 *
 * The request body reaches the handler as a stream, read only as fast as the handler reads it, and
 * `request.signal` aborts when the client's connection closes before the response is complete. The
 * response is written chunk by chunk as the handler's body produces it, never buffered. If that
 * body fails midway, the connection is closed without the response's final chunk, so the client
 * sees a dropped connection rather than a response that merely looks short.
 */
export function toNodeHandler(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Only Node itself can fail here (a header value it refuses): answer 500 if still possible.
    serve(handler, req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end();
    });
  };
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const aborter = new AbortController();
  // `res` closes early exactly when the client went away; `req`'s own 'close' only means its body ended.
  res.once('close', () => {
    if (!res.writableFinished) aborter.abort(new Error('The client closed the connection.'));
  });

  let bodyCutOff = false;
  let response: Response;
  try {
    const request = toRequest(req, aborter.signal, () => {
      bodyCutOff = true;
    });
    response = await handler(request);
  } catch {
    response = internalError();
  }
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
  await pipeBody(response.body, res);
}

async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
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
          const resume = () => {
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

/**
 * A body that fails midway must not end like a complete response: closing the socket without the
 * final chunk tells the client (and its retry logic) that the reply was cut off. The socket is ended
 * rather than destroyed at once, so the chunks already written still reach the client first.
 */
function dropConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.destroyed) {
    res.destroy();
    return;
  }
  // A client that stopped reading would keep an ended socket open forever.
  const timer = setTimeout(() => socket.destroy(), 10_000);
  timer.unref();
  socket.end(() => {
    clearTimeout(timer);
    socket.destroy();
  });
}

function toRequest(req: IncomingMessage, signal: AbortSignal, onCancel: () => void): Request {
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
    init.body = bodyStream(req, onCancel);
    init.duplex = 'half';
  }
  return new Request(url, init);
}

function bodyStream(req: IncomingMessage, onCancel: () => void): ReadableStream<Uint8Array> {
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
