// Every request body either adapter can build validates against OpenAI's own schema for its API
// (CreateResponse or CreateChatCompletionRequest), and each validator is shown to reject broken bodies first.
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatAdapter, createUnsafeChatAdapter } from '../../src/adapters';
import type { ChatItem, StandardChatAdapter } from '../../src/core/types';
import { type FixtureServer, sseHeaders, sseStream, startFixtureServer } from '../helpers/fixture-server';
import { OPENAPI_SCHEMAS, readFixture } from '../helpers/fixtures';
import { FAKE_KEY, failOnUnhandledRejections } from './helpers/observe';

failOnUnhandledRejections();

type Node = Record<string, unknown>;

/**
 * OpenAPI 3.0's `nullable` is no JSON Schema keyword: turn `type: X, nullable: true` into
 * `type: [X, 'null']` and drop a `nullable` with no sibling `type` (the spec's README warns that
 * compiling such nodes as they are can leave a validator that checks nothing).
 */
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

const spec = JSON.parse(readFixture(OPENAPI_SCHEMAS, 'utf8')) as { components: Node };
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'openai', components: withoutNullable(spec.components) });

const validate = ajv.compile({ $ref: 'openai#/components/schemas/CreateChatCompletionRequest' });
// OpenAI's CreateResponse leaves `model` and `input` optional (a stored prompt can supply them);
// chatwire always sends both, so the check here requires them on top of the schema.
const validateResponse = ajv.compile({
  allOf: [{ $ref: 'openai#/components/schemas/CreateResponse' }, { required: ['model', 'input'] }],
});
const valid = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };
const validResponse = { model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Hi' }] };

describe('the CreateResponse validator', () => {
  it('accepts a minimal body', () => {
    expect(validateResponse(validResponse)).toBe(true);
  });
  it('rejects a body without model', () => {
    expect(validateResponse({ input: validResponse.input })).toBe(false);
  });
  it('rejects a bad reasoning effort, a bad store and a bad token cap', () => {
    expect(validateResponse({ ...validResponse, reasoning: { effort: 'extreme' } })).toBe(false);
    expect(validateResponse({ ...validResponse, store: 'no' })).toBe(false);
    expect(validateResponse({ ...validResponse, max_output_tokens: 'many' })).toBe(false);
  });
  it('rejects an input item with a bad role', () => {
    expect(validateResponse({ ...validResponse, input: [{ role: 'wizard', content: 'Hi' }] })).toBe(false);
  });
});

describe('the CreateChatCompletionRequest validator', () => {
  it('accepts a minimal body', () => {
    expect(validate(valid)).toBe(true);
  });
  it('rejects a body without model', () => {
    expect(validate({ messages: valid.messages })).toBe(false);
  });
  it('rejects a message with a bad role', () => {
    expect(validate({ ...valid, messages: [{ role: 'wizard', content: 'Hi' }] })).toBe(false);
  });
  it('rejects a bad option type', () => {
    expect(validate({ ...valid, temperature: 'hot' })).toBe(false);
    expect(validate({ ...valid, stream_options: { include_usage: 'yes' } })).toBe(false);
  });
});

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer((request) =>
    (request.json as { stream?: boolean }).stream
      ? { headers: sseHeaders(), body: sseStream(['ok']) }
      : {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'm',
            choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          }),
        },
  );
});
afterAll(() => server.close());

const history: ChatItem[] = [
  { role: 'system', message: 'Earlier instructions' },
  { role: 'user', message: 'First question' },
  { role: 'assistant', message: 'First answer' },
];

const openai = () =>
  createUnsafeChatAdapter().withApi('chat-completions').withApiKey(FAKE_KEY).withBaseUrl(server.origin);
const backend = () => createChatAdapter().withApi('chat-completions').withUrl(`${server.origin}/api/chat`);
const responses = () => createUnsafeChatAdapter().withApiKey(FAKE_KEY).withBaseUrl(server.origin);
const responsesBackend = () => createChatAdapter().withUrl(`${server.origin}/api/chat`);
const options = {
  temperature: 0.2,
  top_p: 0.9,
  max_completion_tokens: 256,
  presence_penalty: 0.5,
  frequency_penalty: -0.5,
  stop: ['\n\n', 'END'],
  seed: 7,
  user: 'user-123',
  n: 2,
};
const adapters: Array<[string, () => StandardChatAdapter]> = [
  ['openai default', () => openai().create()],
  ['openai batch', () => openai().withDataTransferMode('batch').create()],
  ['openai system + model', () => openai().withSystemMessage('Be brief.').withModel('gpt-4.1').create()],
  ['openai all model options', () => openai().withModelOptions(options).create()],
  [
    'openai stop as a string',
    () => openai().withModelOptions({ stop: 'END' }).withDataTransferMode('batch').create(),
  ],
  ['backend default', () => backend().create()],
  [
    'backend batch + system',
    () => backend().withDataTransferMode('batch').withSystemMessage('Be kind.').create(),
  ],
  [
    'openai reasoning effort',
    () => openai().withReasoning({ effort: 'low' }).withModelOptions({ store: true }).create(),
  ],
  ['responses default', () => responses().create()],
  ['responses batch', () => responses().withDataTransferMode('batch').create()],
  [
    'responses system + model',
    () => responses().withSystemMessage('Be brief.').withModel('gpt-4.1').create(),
  ],
  [
    'responses all model options',
    () =>
      responses()
        .withModelOptions({
          temperature: 0.2,
          top_p: 0.9,
          max_completion_tokens: 256,
          user: 'user-123',
          store: true,
          metadata: { app: 'chatwire' },
        })
        .create(),
  ],
  [
    'responses reasoning',
    () => responses().withReasoning({ effort: 'high', summary: 'detailed' }).withModel('o4-mini').create(),
  ],
  ['responses backend', () => responsesBackend().create()],
  [
    'responses backend batch + system + reasoning',
    () =>
      responsesBackend()
        .withDataTransferMode('batch')
        .withSystemMessage('Be kind.')
        .withReasoning({ summary: 'auto' })
        .create(),
  ],
];

describe.each(adapters)('%s', (_name, makeAdapter) => {
  const cases: Array<[string, ChatItem[] | undefined, string]> = [
    ['no history', undefined, 'Hi'],
    ['a history', history, 'Hi'],
    ['an empty message', undefined, ''],
  ];
  it.each(cases)(
    'streamText and batchText bodies with %s validate',
    async (_case, conversationHistory, message) => {
      const adapter = makeAdapter();
      const before = server.requests.length;
      await adapter.batchText(message, {
        conversationHistory: conversationHistory ? [...conversationHistory] : undefined,
      });
      await new Promise<void>((resolve) =>
        adapter.streamText(message, { next() {}, complete: () => resolve(), error: () => resolve() }),
      );
      const bodies = server.requests.slice(before).map((request) => request.json);
      expect(bodies).toHaveLength(2);
      for (const body of bodies) {
        const check = 'input' in (body as object) ? validateResponse : validate;
        const ok = check(body);
        expect(check.errors ?? [], JSON.stringify(body)).toEqual([]);
        expect(ok).toBe(true);
      }
      // Each adapter speaks the API its name says.
      expect('input' in (bodies[0] as object)).toBe(_name.startsWith('responses'));
    },
  );
});
