// One relay in its own process, so its CPU time is measured alone (process.cpuUsage) apart from the
// upstream and the client. argv: `chatwire` | `openai` | `floor` | `node-floor` | `socket-floor`, the
// upstream base URL. It prints its URL; on stdin "start" it zeroes its CPU clock and prints "started";
// on "stop" it prints the CPU microseconds used since; when stdin ends it exits.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { createOpenAiProxy, toNodeHandler } from '../../dist/server.js';

const [kind, upstream] = process.argv.slice(2);
const apiKey = 'sk-bench-relay';

/** chatwire: the proxy as the README mounts it. */
function chatwireRelay() {
  return toNodeHandler(createOpenAiProxy({ apiKey, upstream, allowedModels: ['gpt-4o-mini'] }));
}

/**
 * The route users write by hand with the official SDK: read the JSON body, call
 * `chat.completions.create({ stream: true })`, and re-emit every chunk as an SSE event.
 */
function openAiRelay() {
  const openai = new OpenAI({ apiKey, baseURL: upstream, maxRetries: 0 });
  return async (request, response) => {
    let text = '';
    for await (const part of request) text += part;
    const body = JSON.parse(text);
    try {
      const stream = await openai.chat.completions.create({
        model: body.model,
        messages: body.messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      });
      for await (const chunk of stream) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      response.end('data: [DONE]\n\n');
    } catch (error) {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error?.message) } }));
    }
  };
}

/**
 * The floor for any Fetch-based relay: the same `fetch` to the upstream, its body copied to the
 * client chunk by chunk, with no checks and no reading of what passes.
 */
function fetchFloorRelay() {
  return async (request, response) => {
    let text = '';
    for await (const part of request) text += part;
    const upstreamResponse = await fetch(`${upstream}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: text,
    });
    response.writeHead(upstreamResponse.status, { 'content-type': 'text/event-stream; charset=utf-8' });
    for await (const chunk of upstreamResponse.body) response.write(chunk);
    response.end();
  };
}

/**
 * The floor for a node:http relay: the upstream called with `http.request` on a keep-alive agent, its
 * body written to the client chunk by chunk, with no checks and no reading of what passes.
 */
function nodeFloorRelay() {
  const target = new URL(`${upstream}/chat/completions`);
  const request = target.protocol === 'https:' ? https.request : http.request;
  const agent = new (target.protocol === 'https:' ? https : http).Agent({ keepAlive: true });
  return async (req, res) => {
    let text = '';
    for await (const part of req) text += part;
    const upstreamRequest = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode, { 'content-type': 'text/event-stream; charset=utf-8' });
        upstreamResponse.on('data', (chunk) => res.write(chunk));
        upstreamResponse.on('end', () => res.end());
      },
    );
    upstreamRequest.end(text);
  };
}

/**
 * The floor below node:http: an HTTP/1.1 client written by hand on kept-alive TCP sockets (plain
 * HTTP only, a 200 assumed), its chunked body undone and written to the client in one write per
 * 4 ms, as the proxy gathers events. No checks, no usage reading: what the reads and writes cost
 * without Node's HTTP client and its stream per reply.
 */
function socketFloorRelay() {
  const target = new URL(`${upstream}/chat/completions`);
  const idle = [];
  return async (req, res) => {
    let text = '';
    for await (const part of req) text += part;
    const socket = idle.pop() ?? net.connect({ host: target.hostname, port: Number(target.port) });
    socket.write(
      `POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer ${apiKey}\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
    // 'head' until its blank line; then 'size' lines (the blank line ending each chunk's data read as
    // one too), 'data' for `left` bytes, and 'trailer' after the last chunk, until its blank line.
    let state = 'head';
    let line = '';
    let left = 0;
    let gathered = [];
    let timer;
    const flush = () => {
      timer = undefined;
      if (gathered.length > 0) res.write(gathered.length === 1 ? gathered[0] : Buffer.concat(gathered));
      gathered = [];
    };
    const onData = (bytes) => {
      let at = 0;
      while (at < bytes.length) {
        if (state === 'data') {
          const end = Math.min(bytes.length, at + left);
          gathered.push(bytes.subarray(at, end));
          left -= end - at;
          at = end;
          if (left === 0) state = 'size';
          continue;
        }
        const lf = bytes.indexOf(10, at);
        if (lf === -1) {
          line += bytes.toString('latin1', at);
          break;
        }
        const whole = (line + bytes.toString('latin1', at, lf)).trimEnd();
        line = '';
        at = lf + 1;
        if (state === 'head' && whole === '') {
          state = 'size';
          res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
          res.flushHeaders();
        } else if (state === 'size' && whole !== '') {
          left = Number.parseInt(whole, 16);
          state = left === 0 ? 'trailer' : 'data';
        } else if (state === 'trailer' && whole === '') {
          socket.off('data', onData);
          clearTimeout(timer);
          flush();
          res.end();
          idle.push(socket);
          return;
        }
      }
      if (gathered.length > 0) timer ??= setTimeout(flush, 4);
    };
    socket.on('data', onData);
  };
}

const relays = {
  chatwire: chatwireRelay,
  openai: openAiRelay,
  floor: fetchFloorRelay,
  'node-floor': nodeFloorRelay,
  'socket-floor': socketFloorRelay,
};
const server = http.createServer(relays[kind]());
// Longer than any pause in a bench run, so the client never reuses a socket the server is closing.
server.keepAliveTimeout = 60_000;
server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}/api/chat\n`);
});

let since;
createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line === 'start') {
      since = process.cpuUsage();
      process.stdout.write('started\n');
    } else if (line === 'stop') {
      const used = process.cpuUsage(since);
      process.stdout.write(`${JSON.stringify({ cpuMicros: used.user + used.system })}\n`);
    }
  })
  .on('close', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
