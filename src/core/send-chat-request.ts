import type { CompletionState } from './chat-completion';
import type { ChatRequest } from './chat-request';
import { ChatError } from './errors';
import { httpError } from './http-errors';
import { responseSink } from './response-sinks';
import { retryDelayMs } from './retry';
import type { TextSink } from './sse-decoder';
import type { ChatResult } from './types';

const ignore = () => {};

/** Anything thrown that is not already a ChatError: a failed fetch, a dropped connection, a bug. */
function connectionError(cause: unknown): ChatError {
  const reason = cause instanceof Error ? cause.message : '';
  return new ChatError('connection-error', `Connection failed${reason && `: ${reason}`}`, {
    retryable: true,
  });
}

/** Reads the rest of a body without using it: see `[DONE]` below. */
function drain(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  reader.read().then((result) => result.done || drain(reader), ignore);
}

/**
 * The one request path for stream and batch, for every adapter: fetch → status check → body sink
 * (SSE, JSON or plain text by content type) → text deltas to `onDelta`. Resolves with the finished
 * reply; rejects with a ChatError that carries `partialText` when text had already arrived.
 *
 * Retries (transient statuses and failed connections) happen only before the first byte of a 2xx
 * body, so nothing already delivered is ever repeated. `signal` aborts at any moment; the request
 * timeout covers waiting for headers, the idle timeout any silence while a body is read.
 */
export async function sendChatRequest(
  request: ChatRequest,
  onDelta: (text: string) => void,
): Promise<ChatResult> {
  const { url, headers, body, credentials, signal, secret, requestTimeout, idleTimeout, maxRetries } =
    request;
  const state: CompletionState = { text: '', finishReason: null };
  const controller = new AbortController();
  let failure: ChatError | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let requestId: string | undefined;
  // Settles when the call fails; raced against every wait so that nothing can outlive a failure.
  const failed = new Promise<undefined>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve(undefined)),
  );
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
    timer = setTimeout(check, ms);
  };

  // An abort from inside `onDelta` must stop the rest of the chunk being parsed, not only later ones.
  const deliver = (text: string) => {
    if (failure) throw failure;
    if (text) {
      state.text += text;
      onDelta(text);
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
        let done = false;
        const sink: TextSink = ok
          ? responseSink(
              response.headers.get('content-type') ?? '',
              state,
              deliver,
              () => (done = true),
              secret,
            )
          : { push: (chunk) => (text += chunk), end: ignore };
        // One streaming decoder per body: `stream: true` holds back a multibyte character's leading
        // bytes until the rest arrive, so no delta ever holds half a character.
        const decoder = new TextDecoder();
        while (reader && !done) {
          const chunk = await reader.read();
          // A cancelled read resolves as `done`; the failure that cancelled it is the real outcome.
          if (failure) throw failure;
          if (chunk.done) break;
          since = Date.now();
          sink.push(decoder.decode(chunk.value, { stream: true }));
        }
        // `[DONE]` ends the reply: finish now rather than wait for the server to close. The rest is
        // drained instead of cancelled, because some fetch implementations (happy-dom's) throw an
        // uncaught error when a cancelled body later ends.
        if (done) drain(reader!);
        else {
          sink.push(decoder.decode());
          sink.end();
        }
        if (ok) return { ...state, requestId };
        error = httpError(response, text, secret);
      }
      clearTimeout(timer);
      if (!error!.retryable || attempt >= maxRetries) throw error!;
      const delay = retryDelayMs(attempt, response?.headers);
      await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, delay))), failed]);
    }
  } catch (thrown) {
    const error = failure ?? (thrown instanceof ChatError ? thrown : connectionError(thrown));
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
