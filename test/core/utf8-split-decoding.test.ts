// The decode path never splits a multibyte character and never drops an event, whatever the byte
// boundaries: the same stream fed one byte at a time, and cut at every single offset, reads the same.
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/core/chat-request';
import { sendChatRequest } from '../../src/core/send-chat-request';
import { sseStream } from '../helpers/fixture-server';

const DELTAS = ['Grüße ', '世界', ' 👩‍💻', ' ℝ𝔼𝔸𝕃 ', 'naïve'];
const BYTES = new TextEncoder().encode(sseStream(DELTAS));

/** A request whose fetch answers with `pieces` as separate body chunks (no network: exact boundaries). */
function requestOver(pieces: Uint8Array[], contentType = 'text/event-stream'): ChatRequest {
  return {
    url: 'http://unused.invalid/v1/chat/completions',
    headers: {},
    body: '{}',
    requestTimeout: 1000,
    idleTimeout: 1000,
    maxRetries: 0,
    fetch: async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (const piece of pieces) controller.enqueue(piece);
            controller.close();
          },
        }),
        { headers: { 'content-type': contentType } },
      ),
  };
}

async function read(pieces: Uint8Array[], contentType?: string) {
  const deltas: string[] = [];
  const result = await sendChatRequest(requestOver(pieces, contentType), (delta) => deltas.push(delta));
  return { deltas, result };
}

describe('SSE', () => {
  it('fed one byte at a time: the same deltas, finish reason and usage', async () => {
    const pieces = Array.from(BYTES, (byte) => Uint8Array.of(byte));
    const { deltas, result } = await read(pieces);
    expect(deltas).toEqual(DELTAS);
    expect(result).toMatchObject({
      text: DELTAS.join(''),
      finishReason: 'stop',
      usage: { completionTokens: 5 },
    });
  });

  it('cut in two at every offset: the same deltas', async () => {
    for (let offset = 1; offset < BYTES.length; offset++) {
      const { deltas } = await read([BYTES.subarray(0, offset), BYTES.subarray(offset)]);
      expect(deltas, `cut at ${offset}`).toEqual(DELTAS);
    }
  });
});

describe('plain text', () => {
  it('one byte at a time: no delta holds half a character', async () => {
    const text = DELTAS.join('');
    const pieces = Array.from(new TextEncoder().encode(text), (byte) => Uint8Array.of(byte));
    const { deltas, result } = await read(pieces, 'text/plain; charset=utf-8');
    for (const delta of deltas) expect(delta).not.toContain('\uFFFD');
    expect(deltas.join('')).toBe(text);
    expect(result.text).toBe(text);
  });
});
