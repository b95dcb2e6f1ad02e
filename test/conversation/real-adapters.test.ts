// The conversation with chatwire's own adapters over real HTTP on 127.0.0.1: a recorded OpenAI stream
// replayed byte for byte, a connection that drops mid-reply (then Retry), a stop mid-stream, batch mode,
// and the history the next request carries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatAdapter } from '../../src/adapters';
import { type Conversation, createConversation } from '../../src/chat/conversation';
import {
  type FixtureReply,
  type FixtureServer,
  type Responder,
  sseHeaders,
  sseStream,
  startFixtureServer,
  streamFixture,
} from '../helpers/fixture-server';

let server: FixtureServer;
let responder: Responder;
beforeAll(async () => {
  server = await startFixtureServer((request, index) => responder(request, index));
});
afterAll(() => server.close());

const adapter = (mode: 'stream' | 'batch' = 'stream') =>
  createChatAdapter()
    .withUrl(`${server.origin}/api/chat`)
    .withDataTransferMode(mode)
    .withTimeout({ request: 3000, idle: 3000 })
    .withMaxRetries(0)
    .create();

/** Resolves when the conversation is idle again (the turn ended, whichever way). */
const idle = (conversation: Conversation) =>
  new Promise<void>((resolve) => {
    const stop = conversation.subscribe((change) => {
      if (change.type === 'busy' && !change.busy) {
        stop();
        resolve();
      }
    });
  });

// The recorded reply's text, joined from its deltas.
const recordedText = () =>
  streamFixture('py01-text-basic.sse')
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? '')
    .join('');

describe('createConversation with createChatAdapter over loopback HTTP', () => {
  it('streams a recorded OpenAI reply into a complete message, and sends it as history next time', async () => {
    responder = () => ({ headers: sseHeaders('req_recorded'), body: streamFixture('py01-text-basic.sse') });
    const conversation = createConversation(adapter());
    const deltas: string[] = [];
    conversation.subscribe((change) => change.type === 'delta' && deltas.push(change.delta));
    let done = idle(conversation);
    conversation.send('Say something');
    await done;
    const reply = conversation.messages[1]!;
    expect(reply.status).toBe('complete');
    expect(reply.text).toBe(recordedText());
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(reply.text);
    expect(reply.result).toMatchObject({ text: reply.text, finishReason: 'stop', requestId: 'req_recorded' });

    done = idle(conversation);
    conversation.send('And again');
    await done;
    const body = server.requests.at(-1)!.json as { messages: { role: string; content: string }[] };
    expect(body.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Say something'],
      ['assistant', recordedText()],
      ['user', 'And again'],
    ]);
  });

  it('a connection dropped mid-reply fails with the partial text kept; retry completes it', async () => {
    const events = sseStream(['Hello', ', ', 'wor', 'ld']).split(/(?<=\n\n)/);
    let dropNext = true;
    responder = (): FixtureReply =>
      dropNext
        ? { headers: sseHeaders('req_drop'), body: events.slice(0, 3), pauseMs: 5, after: 'drop' }
        : { headers: sseHeaders('req_ok'), body: events };
    const conversation = createConversation(adapter());
    let done = idle(conversation);
    conversation.send('Greet me');
    await done;
    const failed = conversation.messages[1]!;
    expect(failed.status).toBe('failed');
    expect(failed.text).toBe('Hello, ');
    expect(failed.error!.code).toBe('connection-error');

    dropNext = false;
    done = idle(conversation);
    conversation.retry();
    await done;
    expect(conversation.messages.map((m) => [m.role, m.status, m.text])).toEqual([
      ['user', 'complete', 'Greet me'],
      ['assistant', 'complete', 'Hello, world'],
    ]);
  });

  it('stop() mid-stream keeps the partial as stopped and aborts the request', async () => {
    const events = sseStream(['One ', 'two ', 'three']).split(/(?<=\n\n)/);
    responder = () => ({ headers: sseHeaders('req_stall'), body: events.slice(0, 3), after: 'stall' });
    const conversation = createConversation(adapter());
    const twoWords = new Promise<void>((resolve) =>
      conversation.subscribe(
        (change) => change.type === 'delta' && change.message.text === 'One two ' && resolve(),
      ),
    );
    conversation.send('Count');
    await twoWords;
    conversation.stop();
    expect(conversation.busy).toBe(false);
    expect(conversation.messages[1]).toMatchObject({ status: 'stopped', text: 'One two ' });
  });

  it('batch mode: one JSON completion becomes a complete message', async () => {
    responder = () => ({
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_json' },
      body: JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o-mini',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'All at once.' }, finish_reason: 'stop' },
        ],
      }),
    });
    const conversation = createConversation(adapter('batch'));
    const done = idle(conversation);
    conversation.send('Batch please');
    await done;
    expect(conversation.messages[1]).toMatchObject({ status: 'complete', text: 'All at once.' });
  });
});
