import { invalidConfig } from '../core/errors';
import type { JsonErrorBody } from './json-error';
import { randomHex } from './offline-body';
import { chatCompletionsResponse } from './offline-chat-completions';
import { simulatedError } from './offline-errors';
import { demoReply, type OfflineAnswer, reasoningSummary, smallPieces, wordTokens } from './offline-reply';
import { responsesResponse } from './offline-responses';
import { readLimitedText } from './read-body';

/** Options of `createOfflineModel`. */
export interface OfflineModelOptions {
  /** Pause before each streamed token, in ms: the default 25 reads like a fast model; 0 for tests. */
  delayMs?: number;
}

/** Bodies past this size are refused (413) before they are read further: the model is reachable by anyone it is mounted for. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How many distinct `/flaky` messages a model instance remembers; the oldest is forgotten first. */
const FLAKY_MEMORY = 1000;

/**
 * An OpenAI-compatible endpoint that needs no key and no network, speaking both Chat Completions
 * and Responses, as a `(Request) => Promise<Response>` handler: pass it as
 * `createOpenAiProxy({ upstream })`, mount it at `/v1/…` for `withBaseUrl()`, or call it from tests.
 *
 * A request path ending in `/responses`, or else a body with `input` and no `messages`, is answered
 * as the Responses API: with `stream: true`, events in the order OpenAI sends them (`response.created`
 * … `response.completed`, usage on the last, no `[DONE]`); otherwise the response object as JSON.
 * Anything else is Chat Completions: with `stream: true`, SSE chunks shaped like OpenAI's (a role
 * chunk, one per token, a finish chunk, a usage chunk when `stream_options.include_usage` is set,
 * then `data: [DONE]`); otherwise one `chat.completion` JSON object. `max_completion_tokens` (or
 * `max_tokens`, or `max_output_tokens` on Responses) cuts the reply with finish reason `length`
 * (Responses: `response.incomplete`). Every response has an `x-request-id`. A stream stops as soon
 * as the request's signal aborts or the reader cancels. Bodies over 1 MiB are refused with 413.
 *
 * By default it replies with a short markdown demo (a heading, bold, a list, a link, a fenced code
 * block). The LAST user message can instead hold a command:
 *
 * - `/echo <text>` — answers `<text>` verbatim, streamed a few characters at a time.
 * - `/reason <text>` — on Responses, streams a two-part reasoning summary (a `reasoning` item with
 *   `reasoning_summary_*` events, counted in `reasoning_tokens`), then answers `<text>` like
 *   `/echo`. Chat Completions has no reasoning, so there it answers `<text>` alone.
 * - `/error <status>` — answers OpenAI's JSON error for that HTTP status (400–599): 401
 *   `invalid_api_key` (quoting the bearer key masked, as OpenAI does), 403
 *   `unsupported_country_region_territory`, 404 `model_not_found`, 429 `rate_limit_exceeded` (with
 *   `retry-after-ms: 100`), 500 `server_error`, … `/error quota` answers 429 `insufficient_quota`.
 * - `/drop <text>` — streams `<text>`, then fails the body with no finish and no terminal event
 *   (through `toNodeHandler` the client sees the connection drop).
 * - `/flaky <text>` — the first time this model instance sees that exact message it streams the
 *   first half of `<text>` and drops like `/drop`; every later time it answers `<text>` in full. It
 *   remembers the last 1,000 distinct messages.
 *
 * In JSON mode `/drop` and a first `/flaky` send part of the JSON body and then fail it.
 */
export function createOfflineModel(
  options: OfflineModelOptions = {},
): (request: Request) => Promise<Response> {
  const delayMs = options.delayMs ?? 25;
  if (!(delayMs >= 0)) throw invalidConfig('createOfflineModel: delayMs must be 0 or more.');
  const flaky = boundedMemory(FLAKY_MEMORY);

  return async function offlineModel(request) {
    const headers = { 'x-request-id': `req_offline_${randomHex(24)}` };
    const fail = (status: number, body: JsonErrorBody, extra: Record<string, string> = {}) =>
      Response.json(body, { status, headers: { ...headers, ...extra } });
    const invalid = (message: string, status = 400) =>
      fail(status, { error: { message, type: 'invalid_request_error', param: null, code: null } });

    if (request.method !== 'POST') return invalid(`Use POST, not ${request.method}.`);
    const text = await readLimitedText(request.headers, request.body, MAX_BODY_BYTES);
    if (typeof text !== 'string') return invalid(text.message, text.status);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      return invalid('We could not parse the JSON body of your request.');
    }
    if (typeof body !== 'object' || body === null) return invalid('The request body must be a JSON object.');
    const path = new URL(request.url).pathname;
    const responses =
      path.endsWith('/responses') ||
      (!path.endsWith('/chat/completions') && 'input' in body && !('messages' in body));
    if (responses && typeof body.input !== 'string' && !Array.isArray(body.input)) {
      return invalid("Missing required parameter: 'input'.");
    }
    if (!responses && !Array.isArray(body.messages)) {
      return invalid("Missing required parameter: 'messages'.");
    }

    const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
    const prompt = responses ? lastUserText(body.input) : lastUserText(body.messages);
    const command = prompt.match(/^\/(echo|reason|error|drop|flaky)(?: ([\s\S]*))?$/);
    const argument = command?.[2] ?? '';
    let pieces = wordTokens(demoReply);
    let reasoning: string[][] = [];
    let drop = false;
    switch (command?.[1]) {
      case 'echo':
        pieces = smallPieces(argument);
        break;
      case 'reason':
        pieces = smallPieces(argument);
        if (responses) reasoning = reasoningSummary.map(wordTokens);
        break;
      case 'error': {
        const simulated = simulatedError(argument.trim(), request, model);
        if (!simulated) return invalid('offline model: use /error <status 400–599> or /error quota.');
        return fail(simulated.status, simulated.body, simulated.headers);
      }
      case 'drop':
        pieces = smallPieces(argument);
        drop = true;
        break;
      case 'flaky':
        pieces = smallPieces(argument);
        if (await flaky.firstTime(prompt)) {
          const points = Array.from(argument);
          pieces = smallPieces(points.slice(0, Math.floor(points.length / 2)).join(''));
          drop = true;
        }
        break;
    }

    const limit = Number(
      responses ? body.max_output_tokens : (body.max_completion_tokens ?? body.max_tokens),
    );
    const cut = Number.isInteger(limit) && limit > 0 && pieces.length > limit;
    const answer: OfflineAnswer = {
      model,
      reasoning,
      pieces: cut ? pieces.slice(0, limit) : pieces,
      finishReason: cut ? 'length' : 'stop',
      drop,
      // About four characters a token, as OpenAI counts English.
      inputTokens: Math.ceil(
        JSON.stringify(responses ? [body.instructions ?? '', body.input] : body.messages).length / 4,
      ),
    };
    const delivery = {
      stream: body.stream === true,
      includeUsage: (body.stream_options as { include_usage?: unknown } | null)?.include_usage === true,
      delayMs,
      signal: request.signal,
      headers,
    };
    if (!responses) return chatCompletionsResponse(answer, delivery);
    const reasoningOption = (body.reasoning ?? {}) as { effort?: unknown; summary?: unknown };
    return responsesResponse(
      answer,
      {
        instructions: typeof body.instructions === 'string' ? body.instructions : null,
        maxOutputTokens: Number.isInteger(limit) ? limit : null,
        reasoning: {
          effort: typeof reasoningOption.effort === 'string' ? reasoningOption.effort : null,
          summary: typeof reasoningOption.summary === 'string' ? reasoningOption.summary : null,
        },
        temperature: typeof body.temperature === 'number' ? body.temperature : 1,
        topP: typeof body.top_p === 'number' ? body.top_p : 1,
      },
      delivery,
    );
  };
}

/**
 * The text of the last user message: in Chat Completions `messages`, or in Responses `input` (a
 * string is itself one user message; items carry `content` as a string or as text parts).
 */
function lastUserText(messages: unknown): string {
  if (typeof messages === 'string') return messages;
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown } | null;
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : ''))
        .join('');
    }
    return '';
  }
  return '';
}

/**
 * Remembers up to `size` messages by their SHA-256 digest (so a long message costs 32 bytes, not
 * its length), forgetting the oldest first.
 */
function boundedMemory(size: number) {
  const seen = new Set<string>();
  return {
    /** True the first time `text` is seen (since it was last forgotten); remembers it. */
    async firstTime(text: string): Promise<boolean> {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
      const key = String.fromCharCode(...digest);
      if (seen.has(key)) return false;
      seen.add(key);
      if (seen.size > size) seen.delete(seen.values().next().value!);
      return true;
    },
  };
}
