import { invalidConfig } from '../core/errors';
import type { JsonErrorBody } from './json-error';
import { simulatedError } from './offline-errors';
import { demoReply, smallPieces, wordTokens } from './offline-reply';
import { type Frame, pacedStream } from './paced-stream';

/** Options of `createOfflineModel`. */
export interface OfflineModelOptions {
  /** Pause before each streamed token, in ms: the default 25 reads like a fast model; 0 for tests. */
  delayMs?: number;
}

/**
 * An OpenAI-compatible Chat Completions endpoint that needs no key and no network, as a
 * `(Request) => Promise<Response>` handler: pass it as `createOpenAiProxy({ upstream })`, mount it at
 * `/v1/chat/completions` for `withBaseUrl()`, or call it from tests.
 *
 * With `stream: true` it answers Server-Sent Events shaped like OpenAI's (a role chunk, one chunk
 * per token, a finish chunk with `finish_reason`, a usage chunk when `stream_options.include_usage`
 * is set, then `data: [DONE]`); otherwise one `chat.completion` JSON object. `max_completion_tokens`
 * (or `max_tokens`) cuts the reply with `finish_reason: "length"`. Every response has an
 * `x-request-id`. A stream stops as soon as the request's signal aborts or the reader cancels.
 *
 * By default it replies with a short markdown demo (a heading, bold, a list, a link, a fenced code
 * block). The LAST user message can instead hold a command:
 *
 * - `/echo <text>` — answers `<text>` verbatim, streamed a few characters at a time.
 * - `/error <status>` — answers OpenAI's JSON error for that HTTP status (400–599): 401
 *   `invalid_api_key` (quoting the bearer key masked, as OpenAI does), 403
 *   `unsupported_country_region_territory`, 404 `model_not_found`, 429 `rate_limit_exceeded` (with
 *   `retry-after-ms: 100`), 500 `server_error`, … `/error quota` answers 429 `insufficient_quota`.
 * - `/drop <text>` — streams `<text>`, then fails the body with no finish chunk and no `[DONE]`
 *   (through `toNodeHandler` the client sees the connection drop).
 * - `/flaky <text>` — the first time this model instance sees that exact message it streams the
 *   first half of `<text>` and drops like `/drop`; every later time it answers `<text>` in full.
 *
 * In JSON mode `/drop` and a first `/flaky` send part of the JSON body and then fail it.
 */
export function createOfflineModel(
  options: OfflineModelOptions = {},
): (request: Request) => Promise<Response> {
  const delayMs = options.delayMs ?? 25;
  if (!(delayMs >= 0)) throw invalidConfig('createOfflineModel: delayMs must be 0 or more.');
  const flakySeen = new Set<string>();

  return async function offlineModel(request) {
    const requestId = `req_offline_${randomHex(24)}`;
    const baseHeaders = { 'x-request-id': requestId };
    const fail = (status: number, body: JsonErrorBody, headers: Record<string, string> = {}) =>
      Response.json(body, { status, headers: { ...baseHeaders, ...headers } });
    const invalid = (message: string) =>
      fail(400, { error: { message, type: 'invalid_request_error', param: null, code: null } });

    if (request.method !== 'POST') return invalid(`Use POST, not ${request.method}.`);
    let body: Record<string, unknown>;
    try {
      body = await request.json();
    } catch {
      return invalid('We could not parse the JSON body of your request.');
    }
    if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
      return invalid("Missing required parameter: 'messages'.");
    }
    const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
    const messages = body.messages as unknown[];
    const prompt = lastUserText(messages);

    let pieces: string[];
    let drop = false;
    const command = prompt.match(/^\/(echo|error|drop|flaky)(?: ([\s\S]*))?$/);
    const argument = command?.[2] ?? '';
    switch (command?.[1]) {
      case 'echo':
        pieces = smallPieces(argument);
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
        if (flakySeen.has(prompt)) {
          pieces = smallPieces(argument);
        } else {
          flakySeen.add(prompt);
          const points = Array.from(argument);
          pieces = smallPieces(points.slice(0, Math.floor(points.length / 2)).join(''));
          drop = true;
        }
        break;
      default:
        pieces = wordTokens(demoReply);
    }

    let finishReason = 'stop';
    const limit = Number(body.max_completion_tokens ?? body.max_tokens);
    if (Number.isInteger(limit) && limit > 0 && pieces.length > limit) {
      pieces = pieces.slice(0, limit);
      finishReason = 'length';
    }
    // About four characters a token, as OpenAI counts English.
    const promptTokens = Math.ceil(JSON.stringify(messages).length / 4);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: pieces.length,
      total_tokens: promptTokens + pieces.length,
    };
    const id = `chatcmpl-offline${randomHex(20)}`;
    const created = Math.floor(Date.now() / 1000);

    if (body.stream !== true) {
      const completion = JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: pieces.join(''), refusal: null },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
        system_fingerprint: 'fp_offline',
      });
      const frames = [{ text: drop ? completion.slice(0, Math.floor(completion.length / 2)) : completion }];
      return new Response(pacedStream(frames, { delayMs: 0, signal: request.signal, fail: drop }), {
        headers: { ...baseHeaders, 'content-type': 'application/json' },
      });
    }

    const includeUsage =
      typeof body.stream_options === 'object' &&
      body.stream_options !== null &&
      (body.stream_options as { include_usage?: unknown }).include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_offline',
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      })}\n\n`;
    const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finish,
    });

    const frames: Frame[] = [{ text: chunk([choice({ role: 'assistant', content: '', refusal: null })]) }];
    for (const piece of pieces) frames.push({ text: chunk([choice({ content: piece })]), paced: true });
    if (!drop) {
      frames.push({ text: chunk([choice({}, finishReason)]) });
      if (includeUsage) frames.push({ text: chunk([], { usage }) });
      frames.push({ text: 'data: [DONE]\n\n' });
    }
    return new Response(pacedStream(frames, { delayMs, signal: request.signal, fail: drop }), {
      headers: {
        ...baseHeaders,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      },
    });
  };
}

function lastUserText(messages: unknown[]): string {
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

function randomHex(length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}
