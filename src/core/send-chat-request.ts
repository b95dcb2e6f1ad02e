import { type CompletionState, type Deliver, invalidResponse } from './chat-completion';
import type { ChatRequest } from './chat-request';
import { ChatError } from './errors';
import { httpError } from './http-errors';
import { rateLimitOf } from './rate-limit-headers';
import { responseSink } from './response-sinks';
import { retryDelayMs } from './retry';
import type { TextSink } from './sse-decoder';
import type { ChatResult } from './types';

// An error body is a few hundred bytes; what lies beyond this is not read (and not kept).
const MAX_ERROR_BODY = 64 * 1024;
const DRAIN_MS = 1000;

/**
 * Reads the rest of a body without using it, and cancels it if it has not ended within DRAIN_MS
 * (a body that failed meanwhile is cancelled all the same, which does nothing).
 */
function drain(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  const timer = setTimeout(() => reader.cancel().catch(ignore), DRAIN_MS);
  const next = (): unknown => reader.read().then(({ done }) => (done ? clearTimeout(timer) : next()), ignore);
  next();
}

const ignore = () => {};

/** Anything thrown that is not already a ChatError: a failed fetch, a dropped connection, a bug. */
function connectionError(cause: unknown): ChatError {
  const reason = (cause as Error | undefined)?.message;
  return new ChatError('connection-error', `Connection failed${reason ? `: ${reason}` : ''}`, {
    retryable: true,
  });
}

/**
 * The one request path for stream and batch, for every adapter: fetch → status check → body sink
 * (SSE, JSON or plain text by content type) → text and reasoning deltas to `onDelta`. Resolves with
 * the finished reply; rejects with a ChatError that carries `partialText` when text had already
 * arrived.
 *
 * Retries (transient statuses and failed connections) happen only before the first byte of a 2xx
 * body, so nothing already delivered is ever repeated. `signal` aborts at any moment; the request
 * timeout covers waiting for headers, the idle timeout any silence while a body is read.
 */
export async function sendChatRequest(request: ChatRequest, onDelta: Deliver): Promise<ChatResult> {
  const { url, headers, body, credentials, signal, secret, requestTimeout, idleTimeout, maxRetries } =
    request;
  const state: CompletionState = { text: '', finishReason: null };
  const controller = new AbortController();
  let failure: ChatError | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let requestId: string | undefined;
  // Settles when the call fails; raced against every wait so that nothing can outlive a failure.
  const failed = new Promise<undefined>((resolve) => {
    controller.signal.onabort = () => resolve(undefined);
  });
  // The first failure wins: whatever fires later (a timer after an abort) changes nothing.
  const fail = (error: ChatError) => {
    if (failure) return;
    failure = error;
    clearTimeout(timer);
    controller.abort();
    // A custom fetch may ignore the signal: cancelling the body ends a pending read either way.
    reader?.cancel().catch(ignore);
  };
  const onAbort = () => fail(new ChatError('aborted', 'The request was aborted'));

  // One timer serves both timeouts. Re-arming a timer per network chunk would cost a clearTimeout +
  // setTimeout each time; instead a chunk only records the time (`since`) and the timer re-checks
  // when it fires, so a fast stream pays one Date.now() per chunk.
  let since = 0;
  const watch = (ms: number, what: string) => {
    const check = () => {
      const left = since + ms - Date.now();
      if (left > 0) timer = setTimeout(check, left);
      else fail(new ChatError('timeout', `No ${what} ${ms} ms`, { retryable: true }));
    };
    clearTimeout(timer);
    since = Date.now();
    check();
  };

  // An abort from inside `onDelta` must stop the rest of the chunk being parsed, not only later ones.
  const deliver: Deliver = (text, reasoning) => {
    if (failure) throw failure;
    if (text) {
      if (reasoning) state.reasoning = (state.reasoning ?? '') + text;
      else state.text += text;
      onDelta(text, reasoning);
    }
  };

  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort);
  try {
    for (let attempt = 0; ; attempt++) {
      if (failure) throw failure;
      watch(requestTimeout, 'response within');
      let response: Response | undefined;
      let error: ChatError;
      try {
        // Raced against `failed` so that a custom fetch that ignores the signal cannot hang the call.
        response = await Promise.race([
          (request.fetch ?? fetch)(url, {
            method: 'POST',
            headers,
            body,
            credentials,
            signal: controller.signal,
          }),
          failed,
        ]);
      } catch (cause) {
        error = connectionError(cause);
      }
      if (failure) throw failure;
      if (response) {
        const { ok } = response;
        requestId = response.headers.get('x-request-id') ?? undefined;
        watch(idleTimeout, 'data for');
        reader = response.body?.getReader();
        let text = '';
        // An error body is read until it ends or is long enough to say what went wrong.
        const sink: TextSink = ok
          ? responseSink(response.headers.get('content-type') ?? '', state, deliver, secret)
          : (chunk) => {
              text += chunk;
              return text.length > MAX_ERROR_BODY;
            };
        // One streaming decoder per body: `stream: true` holds back a multibyte character's leading
        // bytes until the rest arrive, so no delta ever holds half a character.
        const decoder = new TextDecoder();
        let done: unknown;
        while (reader && !done) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          // A try block rather than `.catch()`: no extra promise and tick per chunk on the hot path.
          try {
            chunk = await reader.read();
          } catch (cause) {
            throw connectionError(cause);
          }
          // A cancelled read resolves as `done`; the failure that cancelled it is the real outcome.
          if (failure) throw failure;
          if (chunk.done) break;
          since = Date.now();
          done = sink(decoder.decode(chunk.value, { stream: true }));
        }
        // The reply is complete (`[DONE]`, a terminal event) or the error body long enough: finish
        // now rather than wait for the server to close. The rest is drained unread, and cancelled if
        // it has not ended within DRAIN_MS, so a server that keeps the body open cannot hold one of
        // the browser's few connections per host. (Not cancelled at once: some fetch implementations,
        // happy-dom's, throw an uncaught error when a cancelled body later ends.)
        if (done) drain(reader!);
        else sink(decoder.decode(), true);
        if (ok) {
          const { part, ...result } = state;
          return { ...result, requestId, rateLimit: rateLimitOf(response.headers) };
        }
        error = httpError(response, text, secret, request.notFoundHint);
      }
      clearTimeout(timer);
      if (!error!.retryable || attempt >= maxRetries) throw error!;
      const delay = retryDelayMs(attempt, response?.headers);
      await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, delay))), failed]);
    }
  } catch (thrown) {
    // A failed connection was made a ChatError where it happened; anything else thrown while a 2xx
    // body was read is a body chatwire cannot read (`"choices": {}`), which retrying cannot fix.
    const error =
      failure ?? (thrown instanceof ChatError ? thrown : invalidResponse('a reply chatwire cannot read'));
    // One place adds what the error could not know where it was made: the request id of the
    // response it belongs to and the text already delivered. Every error here was made for this
    // call alone, so completing it in place is safe.
    throw Object.assign(error, {
      requestId: error.requestId ?? requestId,
      partialText: state.text || undefined,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
