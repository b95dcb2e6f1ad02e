// The offline demo model speaks Chat Completions like OpenAI (SSE and JSON, same chunk shapes as the
// recordings), paces and stops its stream on abort, and obeys the commands documented on
// createOfflineModel: /echo, /error, /drop, /flaky.
import http from 'node:http';
import { createParser } from 'eventsource-parser';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createOfflineModel } from '../../src/server/index';
import { type Served, serveHandler } from './loopback';

type Chunk = {
  id: string;
  object: string;
  model: string;
  choices: { index: number; delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
};

const ask = (
  content: string,
  extra: Record<string, unknown> = {},
  init: { signal?: AbortSignal; headers?: Record<string, string> } = {},
) =>
  new Request('http://offline.test/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra }),
    ...(init.signal ? { signal: init.signal } : {}),
  });

/** Reads an SSE body to its end: the parsed chunks, whether [DONE] came, and the error if it broke. */
async function readSse(response: Response) {
  const chunks: Chunk[] = [];
  let done = false;
  const parser = createParser({
    onEvent: (event) => {
      if (event.data === '[DONE]') done = true;
      else chunks.push(JSON.parse(event.data));
    },
  });
  const decoder = new TextDecoder();
  let failure: unknown;
  try {
    for await (const bytes of response.body! as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(bytes, { stream: true }));
    }
  } catch (error) {
    failure = error;
  }
  const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
  return { chunks, done, failure, text };
}

describe('stream: true', () => {
  it('sends a role chunk, content deltas, a finish chunk, a usage chunk and [DONE]', async () => {
    const model = createOfflineModel({ delayMs: 0 });
    const response = await model(ask('hi', { stream: true, stream_options: { include_usage: true } }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const { chunks, done, failure, text } = await readSse(response);
    expect(failure).toBeUndefined();
    expect(done).toBe(true);

    const [first, ...rest] = chunks;
    expect(first!.object).toBe('chat.completion.chunk');
    expect(first!.choices[0]).toMatchObject({
      index: 0,
      delta: { role: 'assistant', content: '' },
      finish_reason: null,
    });
    const usageChunk = rest.pop()!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage!.total_tokens).toBe(
      usageChunk.usage!.prompt_tokens + usageChunk.usage!.completion_tokens,
    );
    const finish = rest.pop()!;
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(rest.length).toBe(usageChunk.usage!.completion_tokens);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.model === 'gpt-4o-mini')).toBe(true);

    // The default reply exercises a markdown renderer: heading, bold, list, link and a fenced code block.
    expect(text).toMatch(/^### /);
    expect(text).toContain('**');
    expect(text).toMatch(/\n- /);
    expect(text).toMatch(/\[[^\]]+\]\(https:\/\/[^)]+\)/);
    expect(text).toMatch(/```js\n[\s\S]+\n```/);
  });

  it('sends no usage chunk (and no usage field) without include_usage', async () => {
    const { chunks, done } = await readSse(
      await createOfflineModel({ delayMs: 0 })(ask('/echo abc', { stream: true })),
    );
    expect(done).toBe(true);
    expect(chunks.every((chunk) => chunk.choices.length === 1 && !('usage' in chunk))).toBe(true);
  });

  it('stops with finish_reason "length" at max_completion_tokens', async () => {
    const response = await createOfflineModel({ delayMs: 0 })(
      ask('hi', { stream: true, max_completion_tokens: 3 }),
    );
    const { chunks } = await readSse(response);
    expect(chunks.length).toBe(1 + 3 + 1);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
  });

  it('waits delayMs before each token', async () => {
    vi.useFakeTimers();
    try {
      const response = await createOfflineModel({ delayMs: 50 })(ask('/echo abcdef', { stream: true }));
      const reader = response.body!.getReader();
      await reader.read(); // the role chunk comes at once
      let arrived = false;
      const next = reader.read().then((result) => {
        arrived = true;
        return result;
      });
      await vi.advanceTimersByTimeAsync(49);
      expect(arrived).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(arrived).toBe(true);
      expect(new TextDecoder().decode((await next).value)).toContain('"content":"abc"');
      await reader.cancel();
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops producing when the request signal aborts', async () => {
    const controller = new AbortController();
    const response = await createOfflineModel({ delayMs: 10 })(
      ask('hi', { stream: true }, { signal: controller.signal }),
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toBeDefined();
  });
});

describe('stream: false', () => {
  it('answers one chat.completion JSON object with usage', async () => {
    const response = await createOfflineModel({ delayMs: 0 })(ask('/echo hello **world**'));
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = await response.json();
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'hello **world**' }, finish_reason: 'stop' },
      ],
    });
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  it('refuses a body that is not JSON with a 400 OpenAI-shaped error', async () => {
    const model = createOfflineModel({ delayMs: 0 });
    const response = await model(new Request('http://offline.test/', { method: 'POST', body: 'nope' }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.type).toBe('invalid_request_error');
  });
});

describe('commands in the last user message', () => {
  it('/echo answers the text verbatim in pieces of a few characters', async () => {
    const text = 'Line one\n\n  `code` and 😀 emoji ```\n';
    const { chunks, text: answer } = await readSse(
      await createOfflineModel({ delayMs: 0 })(ask(`/echo ${text}`, { stream: true })),
    );
    expect(answer).toBe(text);
    const pieces = chunks.slice(1, -1).map((chunk) => chunk.choices[0]!.delta.content as string);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.every((piece) => Array.from(piece).length <= 3)).toBe(true);
  });

  it('only reads the last user message', async () => {
    const request = new Request('http://offline.test/', {
      method: 'POST',
      body: JSON.stringify({
        messages: [
          { role: 'user', content: '/error 500' },
          { role: 'assistant', content: 'earlier' },
          { role: 'user', content: '/echo now' },
        ],
      }),
    });
    const body = await (await createOfflineModel({ delayMs: 0 })(request)).json();
    expect(body.choices[0].message.content).toBe('now');
  });

  it('/error <status> answers OpenAI-shaped errors', async () => {
    const model = createOfflineModel({ delayMs: 0 });
    const expected: [string, number, string | null][] = [
      ['400', 400, null],
      ['401', 401, 'invalid_api_key'],
      ['403', 403, 'unsupported_country_region_territory'],
      ['404', 404, 'model_not_found'],
      ['429', 429, 'rate_limit_exceeded'],
      ['quota', 429, 'insufficient_quota'],
      ['500', 500, null],
      ['503', 503, null],
    ];
    for (const [what, status, code] of expected) {
      const response = await model(
        ask(
          `/error ${what}`,
          { stream: true },
          { headers: { authorization: 'Bearer sk-test-offline-0123456789' } },
        ),
      );
      expect(response.status, what).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/json');
      const { error } = await response.json();
      expect(error.code, what).toBe(code);
      expect(typeof error.message).toBe('string');
      expect(typeof error.type).toBe('string');
      if (what === '401') expect(error.message).toContain('sk-test-****6789');
      if (what === '429') expect(response.headers.get('retry-after-ms')).toBe('100');
    }
    const nonsense = await model(ask('/error teapot'));
    expect(nonsense.status).toBe(400);
  });

  it('/drop streams the text, then fails the body with no finish chunk and no [DONE]', async () => {
    const { text, done, failure, chunks } = await readSse(
      await createOfflineModel({ delayMs: 0 })(ask('/drop partial answer', { stream: true })),
    );
    expect(text).toBe('partial answer');
    expect(done).toBe(false);
    expect(failure).toBeInstanceOf(Error);
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(false);
  });

  it('/flaky drops after half the text the first time, then answers it in full', async () => {
    const model = createOfflineModel({ delayMs: 0 });
    const first = await readSse(await model(ask('/flaky abcdefghij', { stream: true })));
    expect(first.text).toBe('abcde');
    expect(first.failure).toBeInstanceOf(Error);
    const second = await readSse(await model(ask('/flaky abcdefghij', { stream: true })));
    expect(second.text).toBe('abcdefghij');
    expect(second.done).toBe(true);
    // Another model instance has its own memory.
    const fresh = await readSse(
      await createOfflineModel({ delayMs: 0 })(ask('/flaky abcdefghij', { stream: true })),
    );
    expect(fresh.failure).toBeInstanceOf(Error);
  });
});

describe('over toNodeHandler', () => {
  const servers: Served[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  it('/drop becomes a dropped connection for an HTTP client', async () => {
    const server = await serveHandler(createOfflineModel({ delayMs: 0 }));
    servers.push(server);
    const outcome = await new Promise<{ body: string; ended: boolean }>((resolve) => {
      let body = '';
      const request = http.request(
        server.url,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (response) => {
          response.setEncoding('utf8');
          response.on('data', (text) => {
            body += text;
          });
          response.on('end', () => resolve({ body, ended: true }));
          response.on('error', () => resolve({ body, ended: false }));
        },
      );
      request.on('error', () => resolve({ body, ended: false }));
      request.end(
        JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: '/drop bye' }] }),
      );
    });
    expect(outcome.ended).toBe(false);
    expect(outcome.body).toContain('"content":"bye"');
    expect(outcome.body).not.toContain('[DONE]');
  });
});
