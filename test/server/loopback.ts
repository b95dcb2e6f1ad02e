// Test helpers: real HTTP servers on 127.0.0.1, and a record of every response a test saw so a file can
// check that the fake key never reached a client.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { type FetchHandler, toNodeHandler } from '../../src/server/index';
import { readFixture } from '../helpers/fixtures';

export const fakeKey = 'sk-test-proxySECRET01234xyz';

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves a Fetch handler through `toNodeHandler` on a free loopback port. */
export function serveHandler(handler: FetchHandler): Promise<Served> {
  return serveNode(toNodeHandler(handler));
}

/**
 * Serves a Fetch handler through `toNodeHandler` as any wrapped handler is served: called with a
 * Request, its Response's web stream copied to the client. For the proxy this is its Fetch path (the
 * one Workers, Deno, Bun and Next.js use), which `serveHandler` would bypass for the node:http one.
 */
export function serveFetchPath(handler: FetchHandler): Promise<Served> {
  return serveNode(toNodeHandler((request, connection) => handler(request, connection)));
}

/** Serves a raw node:http listener on a free loopback port. */
export function serveNode(listener: http.RequestListener): Promise<Served> {
  const server = http.createServer(listener);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface Seen {
  status: number;
  headers: Headers;
  text: string;
}

/** Every response `send` returned, headers and body, for the key search at the end of a file. */
export const seen: Seen[] = [];

/** `fetch` that reads the whole body and records the response. */
export async function send(url: string, init: RequestInit = {}): Promise<Seen> {
  const response = await fetch(url, init);
  const result = { status: response.status, headers: response.headers, text: await response.text() };
  seen.push(result);
  return result;
}

/** A JSON POST as a browser page would send it. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Seen> {
  return send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Lines of every response seen that contain the key or a recognisable piece of it. */
export function keySightings(key = fakeKey): string[] {
  const pieces = [key, key.slice(0, 12), key.slice(-10)];
  const found: string[] = [];
  for (const response of seen) {
    const headerText = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    for (const text of [headerText, response.text]) {
      if (pieces.some((piece) => text.includes(piece))) found.push(text.slice(0, 300));
    }
  }
  return found;
}

export const chatBody = (content = 'hello', extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  ...extra,
});

/** Records what reached it and answers like a minimal Chat Completions endpoint. */
export function recordingUpstream(
  answer: (request: Request) => Response | Promise<Response> = defaultAnswer,
) {
  const received: { headers: Headers; body: Record<string, unknown>; url: string }[] = [];
  const handler: FetchHandler = async (request) => {
    received.push({ headers: request.headers, body: await request.clone().json(), url: request.url });
    return answer(request);
  };
  return { handler, received };
}

function defaultAnswer(): Response {
  return Response.json(
    {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' } }],
    },
    {
      headers: {
        'x-request-id': 'req_recorded',
        'set-cookie': 'upstream=secret',
        'openai-organization': 'org-x',
      },
    },
  );
}

/** A recorded OpenAI error response: its status, headers (as recorded) and body bytes. */
export function recordedError(name: string): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const lines = readFixture(`errors/${name}.headers.txt`, 'utf8').split('\n');
  const statusLine = lines.find((line) => line.startsWith('STATUS '))!.slice(7);
  const status = statusLine.startsWith('{') ? JSON.parse(statusLine).code : Number(statusLine);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const match = line.match(/^([A-Za-z0-9-]+): (.*)$/);
    const name = match?.[1]?.toLowerCase();
    // Framing headers describe the recorded bytes' transport, not ours.
    if (
      match &&
      name &&
      !['content-length', 'transfer-encoding', 'connection', 'set-cookie'].includes(name)
    ) {
      headers[name] = match[2]!;
    }
  }
  return { status, headers, body: readFixture(`errors/${name}.json`, 'utf8') };
}

/** A full garbage collection, so a heap measured after it holds only what is still referenced. */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** A response read with node:http, kept even when the connection broke. */
export interface RawResult {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  body: string;
  /** 'end' when the response completed, 'dropped' when the connection broke first. */
  outcome: 'end' | 'dropped';
}

/** Sends a request with node:http and resolves with whatever arrived, never rejecting. */
export function rawRequest(
  url: string,
  options: http.RequestOptions = {},
  body?: string,
): Promise<RawResult> {
  return new Promise((resolve) => {
    const result: RawResult = { body: '', outcome: 'dropped' };
    const request = http.request(url, options, (response) => {
      result.status = response.statusCode;
      result.headers = response.headers;
      response.setEncoding('utf8');
      response.on('data', (text) => {
        result.body += text;
      });
      response.on('end', () => resolve({ ...result, outcome: 'end' }));
      response.on('error', () => resolve(result));
      response.on('aborted', () => resolve(result));
    });
    request.on('error', () => resolve(result));
    request.end(body);
  });
}
