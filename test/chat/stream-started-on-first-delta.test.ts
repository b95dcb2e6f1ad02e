// @vitest-environment happy-dom
// `messageStreamStarted` means "the reply's first text is here": it fires when the first delta arrives,
// never before the request is even sent, in stream and batch mode alike (issue 8). Built-in adapters
// talk to a real server on 127.0.0.1.
import { afterEach, describe, expect, test } from 'vitest';
import { createChatAdapter } from '../../src/adapters';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { type FixtureServer, startFixtureServer } from '../helpers/fixture-server';
import { newHost } from './helpers';

let chat: AiChat | undefined;
let server: FixtureServer | undefined;
afterEach(async () => {
  chat?.unmount();
  await server?.close();
});

const REPLY = 'Hello from the server';
// happy-dom's fetch enforces CORS like a browser: the page is on another origin than the server.
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': 'POST',
};
const preflight = { status: 204, headers: CORS };

// Answers in the shape the request asks for: a Responses body gets a Responses JSON, a Chat Completions
// body a chat.completion (the built-in adapters' default API may be either).
const jsonReply = (body: unknown) =>
  JSON.stringify(
    body && typeof body === 'object' && 'input' in body
      ? {
          id: 'resp_1',
          object: 'response',
          status: 'completed',
          model: 'gpt-4o-mini',
          output: [
            {
              type: 'message',
              id: 'msg_1',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: REPLY, annotations: [] }],
            },
          ],
          usage: { input_tokens: 1, output_tokens: 4, total_tokens: 5 },
        }
      : {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: REPLY }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 4, total_tokens: 5 },
        },
  );

/** Mounts a chat on `adapter` and records, for each event, how many requests the server had answered. */
function watchEvents(adapter: ReturnType<typeof createChatAdapter>, answered: () => number) {
  const seen: [string, number][] = [];
  const done = new Promise<void>((resolve, reject) => {
    chat = createAiChat()
      .withAdapter(adapter)
      .on('messageSent', () => seen.push(['messageSent', answered()]))
      .on('messageStreamStarted', () => seen.push(['messageStreamStarted', answered()]))
      .on('messageReceived', () => {
        seen.push(['messageReceived', answered()]);
        resolve();
      })
      .on('error', (e) => reject(e.error))
      .mount(newHost());
  });
  return { seen, done };
}

describe('messageStreamStarted', () => {
  test('batch mode, built-in adapter: fires once the answer is in, not when the request leaves', async () => {
    let answered = 0;
    server = await startFixtureServer(async (request) => {
      if (request.method === 'OPTIONS') return preflight;
      await new Promise((resolve) => setTimeout(resolve, 100));
      answered++;
      return { headers: { ...CORS, 'content-type': 'application/json' }, body: jsonReply(request.json) };
    });
    const adapter = createChatAdapter().withUrl(`${server.origin}/api/chat`).withDataTransferMode('batch');
    const { seen, done } = watchEvents(adapter, () => answered);
    chat!.sendMessage('hi');
    await done;
    expect(seen).toEqual([
      ['messageSent', 0],
      ['messageStreamStarted', 1],
      ['messageReceived', 1],
    ]);
  });

  test('stream mode, built-in adapter: fires with the first delta, after the server answered', async () => {
    let answered = 0;
    server = await startFixtureServer(async (request) => {
      if (request.method === 'OPTIONS') return preflight;
      await new Promise((resolve) => setTimeout(resolve, 100));
      answered++;
      return {
        headers: { ...CORS, 'content-type': 'text/plain; charset=utf-8' },
        body: ['Hello ', 'there'],
        pauseMs: 50,
      };
    });
    const adapter = createChatAdapter().withUrl(`${server.origin}/api/chat`);
    const { seen, done } = watchEvents(adapter, () => answered);
    chat!.sendMessage('hi');
    await done;
    expect(seen.map(([name]) => name)).toEqual(['messageSent', 'messageStreamStarted', 'messageReceived']);
    expect(seen[1]![1]).toBe(1);
  });
});
