// The offline model speaks OpenAI's Responses API: its streams follow the recorded event order
// (test/fixtures/openai/responses), every event validates against OpenAI's ResponseStreamEvent
// schema, /reason streams a reasoning summary first, and the commands work as on Chat Completions.
// Also the issue-11 fixes: the body is read with a size cap, and /flaky's memory is bounded.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { createOfflineModel, createOpenAiProxy } from '../../src/server/index';
import { OPENAPI_SCHEMAS, readFixture } from '../helpers/fixtures';
import { type Served, serveHandler } from './loopback';

type Node = Record<string, unknown>;
type Event = { type: string; sequence_number: number } & Record<string, unknown>;

/** OpenAPI 3.0's `nullable` as JSON Schema (see test/adapters/request-body-matches-openapi.test.ts). */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Node = {};
  for (const [key, value] of Object.entries(node as Node))
    if (key !== 'nullable') out[key] = withoutNullable(value);
  const { nullable, type } = node as Node;
  if (nullable === true && typeof type === 'string') out.type = [type, 'null'];
  return out;
}

// One validator per event type (the member of ResponseStreamEvent's anyOf whose `type` enum names
// it), so a failure names the field at fault instead of listing every member's mismatch.
const { eventValidators, validateResponse } = (() => {
  const spec = JSON.parse(readFixture(OPENAPI_SCHEMAS, 'utf8')) as { components: { schemas: Node } };
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'openai', components: withoutNullable(spec.components) });
  const schemas = spec.components.schemas;
  const members = (schemas.ResponseStreamEvent as { anyOf: { $ref: string }[] }).anyOf;
  const eventValidators = new Map<string, ValidateFunction>();
  for (const { $ref } of members) {
    const name = $ref.split('/').pop()!;
    const type = (schemas[name] as { properties?: { type?: { enum?: string[] } } }).properties?.type
      ?.enum?.[0];
    if (type) eventValidators.set(type, ajv.compile({ $ref: `openai#/components/schemas/${name}` }));
  }
  return { eventValidators, validateResponse: ajv.compile({ $ref: 'openai#/components/schemas/Response' }) };
})();

function expectValidEvent(event: Event) {
  const validate = eventValidators.get(event.type);
  expect(validate, `no schema for ${event.type}`).toBeDefined();
  expect(validate!(event), `${event.type}: ${JSON.stringify(validate!.errors?.slice(0, 3))}`).toBe(true);
}

/** A stream's event types, each run of deltas shown once with "…", as in the fixtures README. */
function eventOrder(types: string[]): string[] {
  const order: string[] = [];
  for (const type of types.map((t) => t.replace(/^response\./, ''))) {
    const last = order.at(-1);
    if (type.endsWith('.delta') && (last === type || last === `${type}…`))
      order[order.length - 1] = `${type}…`;
    else order.push(type);
  }
  return order.map((type) => (type.endsWith('.delta') ? `${type.replace(/…$/, '')}…` : type));
}

function recordedOrder(fixture: string): string[] {
  const types = readFixture(`responses/${fixture}`, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)).type as string);
  return eventOrder(types);
}

const ask = (body: Record<string, unknown>, path = '/v1/responses', init: RequestInit = {}) =>
  new Request(`http://offline.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', ...body }),
    ...init,
  });

/** Reads a Responses SSE body: events (checking each `event:` line names its data's type), raw text, failure. */
async function readEvents(response: Response) {
  const events: Event[] = [];
  const mismatched: string[] = [];
  const parser = createParser({
    onEvent: ({ event, data }) => {
      const parsed = JSON.parse(data) as Event;
      if (event !== parsed.type) mismatched.push(`${event} ≠ ${parsed.type}`);
      events.push(parsed);
    },
  });
  const decoder = new TextDecoder();
  let raw = '';
  let failure: unknown;
  try {
    for await (const bytes of response.body! as unknown as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(bytes, { stream: true });
      raw += text;
      parser.feed(text);
    }
  } catch (error) {
    failure = error;
  }
  const of = <T = Event>(type: string) => events.filter((event) => event.type === type) as unknown as T[];
  const text = of('response.output_text.delta')
    .map((event) => event.delta)
    .join('');
  return { events, mismatched, raw, failure, of, text };
}

const model = () => createOfflineModel({ delayMs: 0 });

describe('Responses, stream: true', () => {
  it('sends the recorded event order, each event valid against ResponseStreamEvent', async () => {
    const response = await model()(ask({ input: '/echo Hello! 🌍 How can I help?', stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const { events, mismatched, raw, failure, of, text } = await readEvents(response);
    expect(failure).toBeUndefined();
    expect(mismatched).toEqual([]);
    expect(eventOrder(events.map((event) => event.type))).toEqual(recordedOrder('dd01-text-basic.sse'));
    for (const event of events) expectValidEvent(event);

    expect(text).toBe('Hello! 🌍 How can I help?');
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
    expect(raw).not.toContain('[DONE]');
    expect(raw.endsWith('}\n\n')).toBe(true);
    // Usage only on the terminal event, as recorded.
    const [created] = of<{ response: Node }>('response.created');
    expect(created!.response.usage).toBeUndefined();
    const [completed] = of<{ response: Node & { usage: Node } }>('response.completed');
    expect(completed!.response).toMatchObject({
      status: 'completed',
      model: 'gpt-4.1-mini',
      store: false,
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }],
    });
    const usage = completed!.response.usage as {
      input_tokens: number;
      output_tokens: number;
      total_tokens: number;
      output_tokens_details: { reasoning_tokens: number };
    };
    expect(usage.output_tokens).toBe(of('response.output_text.delta').length);
    expect(usage.output_tokens_details.reasoning_tokens).toBe(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    // One response id throughout, one message item id on every event about it.
    expect(
      new Set(events.flatMap((e) => ((e.response as Node)?.id ? [(e.response as Node).id] : []))).size,
    ).toBe(1);
    expect(new Set(events.flatMap((e) => (e.item_id ? [e.item_id] : []))).size).toBe(1);
  });

  it('/reason streams a reasoning summary item first, in the recorded order, then the text', async () => {
    const { events, of, text, failure } = await readEvents(
      await model()(
        ask({
          input: '/reason The answer is **9**.',
          stream: true,
          reasoning: { effort: 'low', summary: 'auto' },
        }),
      ),
    );
    expect(failure).toBeUndefined();
    for (const event of events) expectValidEvent(event);
    // The recording has one summary part; /reason streams two, so its part block comes twice.
    const recorded = recordedOrder('dd02-reasoning-summary.sse');
    const partStart = recorded.indexOf('reasoning_summary_part.added');
    const partBlock = recorded.slice(partStart, recorded.indexOf('reasoning_summary_part.done') + 1);
    const expected = [...recorded];
    expected.splice(partStart + partBlock.length, 0, ...partBlock);
    expect(eventOrder(events.map((event) => event.type))).toEqual(expected);

    expect(text).toBe('The answer is **9**.');
    const parts = [0, 1].map((index) =>
      of('response.reasoning_summary_text.delta')
        .filter((event) => event.summary_index === index)
        .map((event) => event.delta)
        .join(''),
    );
    expect(parts[0]).toMatch(/^\*\*Reading the request\*\*\n\n/);
    expect(parts[1]).toMatch(/^\*\*Answering\*\*\n\n/);
    expect(of('response.reasoning_summary_text.done').map((event) => event.text)).toEqual(parts);
    // The reasoning item is output 0, the message output 1, as in the recording.
    expect(of('response.output_text.delta').every((event) => event.output_index === 1)).toBe(true);
    const [completed] = of('response.completed') as {
      response: { output: Node[]; usage: Node; reasoning: Node };
    }[];
    expect(completed!.response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(completed!.response.output[0]!.summary).toEqual(
      parts.map((part) => ({ type: 'summary_text', text: part })),
    );
    expect(completed!.response.reasoning).toEqual({ effort: 'low', summary: 'auto' });
    const details = completed!.response.usage.output_tokens_details as { reasoning_tokens: number };
    expect(details.reasoning_tokens).toBe(of('response.reasoning_summary_text.delta').length);
  });

  it('ends with response.incomplete at max_output_tokens, as recorded', async () => {
    const { events, of, text } = await readEvents(
      await model()(ask({ input: 'hi', stream: true, max_output_tokens: 16 })),
    );
    for (const event of events) expectValidEvent(event);
    expect(eventOrder(events.map((event) => event.type))).toEqual(
      recordedOrder('dd03-incomplete-max-output-tokens.sse'),
    );
    expect(of('response.output_text.delta')).toHaveLength(16);
    const [incomplete] = of<{ response: Node }>('response.incomplete');
    expect(incomplete!.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      max_output_tokens: 16,
      output: [{ status: 'incomplete', content: [{ text }] }],
    });
  });

  it('the default reply is the markdown demo; instructions and input items are read', async () => {
    const { of, text } = await readEvents(
      await model()(
        ask({
          instructions: 'Be brief.',
          input: [
            { role: 'user', content: '/error 500' },
            { role: 'assistant', content: 'earlier' },
            { role: 'user', content: [{ type: 'input_text', text: 'tell me' }] },
          ],
          stream: true,
        }),
      ),
    );
    expect(text).toMatch(/^### /);
    expect(text).toMatch(/```js\n[\s\S]+\n```/);
    expect((of('response.created')[0]!.response as Node).instructions).toBe('Be brief.');
  });

  it('/drop streams the text, then fails the body with no done or terminal event', async () => {
    const { of, text, failure } = await readEvents(
      await model()(ask({ input: '/drop partial answer', stream: true })),
    );
    expect(text).toBe('partial answer');
    expect(failure).toBeInstanceOf(Error);
    expect(of('response.output_text.done')).toEqual([]);
    expect(of('response.completed')).toEqual([]);
  });

  it('/flaky drops after half the text the first time, then answers in full', async () => {
    const offline = model();
    const first = await readEvents(await offline(ask({ input: '/flaky abcdefghij', stream: true })));
    expect(first.text).toBe('abcde');
    expect(first.failure).toBeInstanceOf(Error);
    const second = await readEvents(await offline(ask({ input: '/flaky abcdefghij', stream: true })));
    expect(second.text).toBe('abcdefghij');
    expect(second.of('response.completed')).toHaveLength(1);
  });

  it('stops producing when the request signal aborts', async () => {
    const controller = new AbortController();
    const response = await createOfflineModel({ delayMs: 10 })(
      ask({ input: 'hi', stream: true }, '/v1/responses', { signal: controller.signal }),
    );
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'ended';
      })(),
    ).rejects.toBeDefined();
  });
});

describe('Responses, stream: false', () => {
  it('answers the response object as JSON, valid against Response', async () => {
    const response = await model()(ask({ input: '/reason hello **world**' }));
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = await response.json();
    expect(validateResponse(body), JSON.stringify(validateResponse.errors?.slice(0, 3))).toBe(true);
    expect(body).toMatchObject({
      object: 'response',
      status: 'completed',
      output: [
        { type: 'reasoning', summary: [{ type: 'summary_text' }, { type: 'summary_text' }] },
        { type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'hello **world**' }] },
      ],
    });
    expect(body.usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it('/error answers OpenAI-shaped errors on Responses too', async () => {
    const response = await model()(ask({ input: '/error quota', stream: true }));
    expect(response.status).toBe(429);
    expect((await response.json()).error.code).toBe('insufficient_quota');
  });
});

describe('routing', () => {
  it('a path ending in /responses is Responses; /chat/completions is Chat Completions; else the body decides', async () => {
    const offline = model();
    const responsesBody = await (await offline(ask({ input: '/echo a' }, '/api/v1/responses'))).json();
    expect(responsesBody.object).toBe('response');
    const byShape = await (await offline(ask({ input: '/echo a' }, '/api/chat'))).json();
    expect(byShape.object).toBe('response');
    const chat = await (
      await offline(ask({ messages: [{ role: 'user', content: '/echo a' }] }, '/api/chat'))
    ).json();
    expect(chat.object).toBe('chat.completion');
    const wrongShape = await offline(ask({ input: 'hi' }, '/v1/chat/completions'));
    expect(wrongShape.status).toBe(400);
    expect((await wrongShape.json()).error.message).toContain("'messages'");
    const noInput = await offline(ask({ messages: [] }, '/v1/responses'));
    expect(noInput.status).toBe(400);
    expect((await noInput.json()).error.message).toContain("'input'");
  });

  it('/reason on Chat Completions answers the text alone: that API has no reasoning', async () => {
    const response = await model()(
      ask(
        { messages: [{ role: 'user', content: '/reason just this' }], stream: true },
        '/v1/chat/completions',
      ),
    );
    const raw = await response.text();
    const chunks = raw
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: {'))
      .map((frame) => JSON.parse(frame.slice(6)));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('just this');
    expect(raw).not.toMatch(/reasoning|summary/);
  });
});

describe('limits (issue 11)', () => {
  it('refuses a body over 1 MiB with 413, without reading it all', async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode(`{"messages":[{"role":"user","content":"${'x'.repeat(64 * 1024)}`);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await model()(
      new Request('http://offline.test/v1/chat/completions', {
        method: 'POST',
        body: endless,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error.type).toBe('invalid_request_error');
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
    // Just under the cap is still read.
    const fits = await model()(
      ask(
        { messages: [{ role: 'user', content: `/echo ${'y'.repeat(1000 * 1000)}` }] },
        '/v1/chat/completions',
      ),
    );
    expect(fits.status).toBe(200);
  });

  it('/flaky remembers the last 1,000 messages, not every message ever sent', async () => {
    const offline = model();
    const run = async (n: number) => {
      const response = await offline(ask({ input: `/flaky message ${n}` }));
      return response.text().then(
        () => 'whole',
        () => 'dropped',
      );
    };
    for (let n = 0; n <= 1000; n++) expect(await run(n)).toBe('dropped');
    // 1,001 messages seen: the first was forgotten, the last is still remembered.
    expect(await run(1000)).toBe('whole');
    expect(await run(0)).toBe('dropped');
  });
});

describe('over HTTP, read by the official openai client', () => {
  const servers: Served[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  it('openai@6 streams /reason from the model directly and through createOpenAiProxy', async () => {
    const direct = await serveHandler(model());
    const proxied = await serveHandler(
      createOpenAiProxy({ upstream: model(), allowedModels: ['gpt-4.1-mini'] }),
    );
    servers.push(direct, proxied);
    for (const baseURL of [`${direct.url}/v1`, `${proxied.url}/api/v1`]) {
      const openai = new OpenAI({ baseURL, apiKey: 'sk-test-offline', maxRetries: 0 });
      const stream = await openai.responses.create({
        model: 'gpt-4.1-mini',
        input: '/reason Hello from **Responses**.',
        reasoning: { effort: 'low', summary: 'auto' },
        stream: true,
      });
      let text = '';
      let reasoning = '';
      let usage: { output_tokens_details: { reasoning_tokens: number } } | undefined;
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') text += event.delta;
        if (event.type === 'response.reasoning_summary_text.delta') reasoning += event.delta;
        if (event.type === 'response.completed') usage = event.response.usage ?? undefined;
      }
      expect(text, baseURL).toBe('Hello from **Responses**.');
      expect(reasoning, baseURL).toContain('**Reading the request**');
      expect(usage!.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
      const json = await openai.responses.create({ model: 'gpt-4.1-mini', input: '/echo plain' });
      expect(json.output_text).toBe('plain');
    }
  });
});
