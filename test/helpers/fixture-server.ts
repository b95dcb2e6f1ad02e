// A loopback HTTP server for tests: replays recorded OpenAI responses byte for byte and injects the
// faults real networks produce (stalls, dropped connections, slow headers). Each test scripts what
// the server answers; the server records every request it saw.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FIXTURES_DIR, readFixture } from './fixtures';

export { FIXTURES_DIR };

/** A request as the server received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** What the server answers to one request. */
export interface FixtureReply {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** Written piece by piece, each piece its own write with `pauseMs` between them. */
  body?: string | Uint8Array | Array<string | Uint8Array>;
  pauseMs?: number;
  /** Never answer: no status line, no headers (a request timeout). */
  stallBeforeHeaders?: boolean;
  /** After the body: 'end' closes cleanly (default), 'stall' keeps the socket open and silent, 'drop' destroys it. */
  after?: 'end' | 'stall' | 'drop';
}

export type Responder = (request: RecordedRequest, index: number) => FixtureReply | Promise<FixtureReply>;

export interface FixtureServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a server on 127.0.0.1 with a random port. `script` is a responder, or a list of replies
 * given in order (the last one repeats).
 */
export async function startFixtureServer(script: Responder | FixtureReply[]): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const respond: Responder = Array.isArray(script)
    ? (_request, index) => script[Math.min(index, script.length - 1)]!
    : script;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
    const index = requests.push(request) - 1;
    let reply: FixtureReply;
    try {
      reply = await respond(request, index);
    } catch (error) {
      // A responder that throws (a missing fixture, say) answers 500 with the reason, so the test
      // fails at once with it instead of waiting on a request that never ends.
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      return;
    }
    if (reply.stallBeforeHeaders) return;
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    res.flushHeaders();
    const pieces = reply.body === undefined ? [] : Array.isArray(reply.body) ? reply.body : [reply.body];
    for (const piece of pieces) {
      if (res.destroyed) return;
      await new Promise<void>((resolve) => res.write(piece, () => resolve()));
      if (reply.pauseMs !== undefined) await sleep(reply.pauseMs);
    }
    if (reply.after === 'drop') res.socket?.destroy();
    else if (reply.after !== 'stall') res.end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A recorded stream body from `streams/`. */
export function streamFixture(name: string): Buffer {
  return readFixture(`streams/${name}`);
}

// Headers that describe the recorded connection rather than the response; replaying them would
// contradict how this server actually sends the body.
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'set-cookie', 'alt-svc']);

/**
 * Status and headers from a `.headers.txt` recording ("STATUS 401" or
 * `STATUS {"code":401,…}`, then `Name: value` lines), without hop-by-hop headers.
 */
export function recordedHeaders(path: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of readFixture(path, 'utf8').split('\n')) {
    if (line.startsWith('STATUS ')) {
      const value = line.slice(7).trim();
      status = value.startsWith('{') ? (JSON.parse(value) as { code: number }).code : Number(value);
      continue;
    }
    const colon = line.indexOf(': ');
    if (colon <= 0 || line.startsWith('REQUEST ')) continue;
    const name = line.slice(0, colon).toLowerCase();
    if (!HOP_BY_HOP.has(name)) headers[name] = line.slice(colon + 2);
  }
  return { status, headers };
}

/** A small seeded PRNG (mulberry32), so a failing random split can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits bytes at `cuts` random byte offsets (so multibyte characters can be cut in half). */
export function splitAtRandom(bytes: Uint8Array, cuts: number, random: () => number): Uint8Array[] {
  const offsets = new Set<number>();
  while (offsets.size < Math.min(cuts, bytes.length - 1))
    offsets.add(1 + Math.floor(random() * (bytes.length - 1)));
  const sorted = [...offsets].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const offset of [...sorted, bytes.length]) {
    pieces.push(bytes.subarray(start, offset));
    start = offset;
  }
  return pieces;
}

/** An SSE body of Chat Completions chunks with the given text deltas, in OpenAI's recorded shape. */
export function sseStream(
  deltas: string[],
  options: { usage?: boolean; done?: boolean; lineEnd?: string } = {},
): string {
  const { usage = true, done = true, lineEnd = '\n' } = options;
  const base = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini-test',
  };
  const events = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    ...deltas.map((content) => ({
      ...base,
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  ].map((chunk) => `data: ${JSON.stringify(chunk)}`);
  if (usage) {
    const u = { prompt_tokens: 7, completion_tokens: deltas.length, total_tokens: 7 + deltas.length };
    events.push(`data: ${JSON.stringify({ ...base, choices: [], usage: u })}`);
  }
  if (done) events.push('data: [DONE]');
  return events.map((event) => `${event}${lineEnd}${lineEnd}`).join('');
}

/** Response headers for an SSE reply with a request id. */
export function sseHeaders(requestId = 'req_test'): Record<string, string> {
  return { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': requestId };
}
