import type { CompletionState } from './chat-completion';
import type { ChatRequest } from './chat-request';
import { ChatError, type ChatErrorDetails } from './errors';
import { httpError } from './http-errors';
import { readChatResponse } from './read-chat-response';
import { retryDelayMs, shouldRetry } from './retry';
import { type IdleTimer, startIdleTimer } from './timeouts';
import type { ChatResult } from './types';

/** Anything thrown that is not already a ChatError: a failed fetch, a dropped connection, a bug. */
function connectionError(cause: unknown): ChatError {
  const reason = cause instanceof Error ? cause.message : '';
  return new ChatError('connection-error', `Connection failed${reason ? `: ${reason}` : ''}`, {
    retryable: true,
  });
}

/**
 * The one request path for stream and batch, for every adapter: fetch → status check → body reader
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
  const { signal, secret } = request;
  const state: CompletionState = { text: '', finishReason: null };
  const controller = new AbortController();
  let failure: ChatError | undefined;
  let cancelBody: (() => void) | undefined;
  let wake!: () => void;
  const failed = new Promise<undefined>((resolve) => {
    wake = () => resolve(undefined);
  });
  // The first failure wins: whatever fires later (a timer after an abort) changes nothing.
  const fail = (error: ChatError) => {
    if (failure) return;
    failure = error;
    controller.abort();
    cancelBody?.();
    wake();
  };
  const onAbort = () => fail(new ChatError('aborted', 'The request was aborted'));
  let requestId: string | undefined;
  let idle: IdleTimer | undefined;
  let requestTimer: ReturnType<typeof setTimeout> | undefined;

  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort);
  try {
    for (let attempt = 0; ; attempt++) {
      if (failure) throw failure;
      requestTimer = setTimeout(
        fail,
        request.requestTimeout,
        new ChatError('timeout', `No response within ${request.requestTimeout} ms`, { retryable: true }),
      );
      let response: Response | undefined;
      let error: ChatError;
      try {
        // Raced against `failed` so that a custom fetch that ignores the signal cannot hang the call.
        response = await Promise.race([
          request.fetch(request.url, {
            method: 'POST',
            headers: request.headers,
            body: request.body,
            credentials: request.credentials,
            signal: controller.signal,
          }),
          failed,
        ]);
      } catch (cause) {
        error = connectionError(cause);
      } finally {
        clearTimeout(requestTimer);
      }
      if (failure) throw failure;
      if (response) {
        requestId = response.headers.get('x-request-id') ?? undefined;
        idle = startIdleTimer(request.idleTimeout, () =>
          fail(new ChatError('timeout', `No data for ${request.idleTimeout} ms`, { retryable: true })),
        );
        if (response.ok) {
          await readChatResponse(response, {
            state,
            onDelta,
            onBytes: idle.touch,
            failure: () => failure,
            setCancel: (cancel) => {
              cancelBody = cancel;
            },
            secret,
          });
          return {
            text: state.text,
            finishReason: state.finishReason,
            usage: state.usage,
            model: state.model,
            requestId,
          };
        }
        cancelBody = () => {
          response?.body?.cancel().catch(() => {});
        };
        const body = await response.text();
        if (failure) throw failure;
        idle.stop();
        error = httpError(response, body, secret);
      }
      if (!shouldRetry(error!, attempt, request.maxRetries)) throw error!;
      const delay = retryDelayMs(attempt, response?.headers);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        failed.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  } catch (thrown) {
    const error = failure ?? (thrown instanceof ChatError ? thrown : connectionError(thrown));
    // One place adds what the error could not know where it was made: the request id of the
    // response it belongs to and the text already delivered. Every error here was made for this
    // call alone, so completing it in place is safe.
    const details: ChatErrorDetails = { requestId: error.requestId ?? requestId };
    if (state.text) details.partialText = state.text;
    throw Object.assign(error, details);
  } finally {
    clearTimeout(requestTimer);
    idle?.stop();
    signal?.removeEventListener('abort', onAbort);
  }
}
