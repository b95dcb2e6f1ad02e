import { applyChunk, type ChatCompletionPayload, type CompletionState } from './chat-completion';
import { ChatError } from './errors';
import { parseJson, streamError } from './http-errors';
import { createSseSink, type TextSink } from './sse-decoder';

/** The `invalid-response` error for a 2xx body that is not what the protocol says. */
function invalidResponse(what: string): ChatError {
  return new ChatError('invalid-response', `The server sent ${what}`);
}

/** Parses a chunk or completion; an error event or an `{"error": …}` object is a `stream-error`. */
function parsePayload(text: string, secret?: string, isError?: boolean): ChatCompletionPayload {
  const payload = parseJson(text) as ChatCompletionPayload | undefined;
  if (isError || payload?.error) throw streamError(payload, secret);
  if (!payload || typeof payload !== 'object') throw invalidResponse('invalid JSON');
  return payload;
}

/**
 * The sink for a 2xx body, picked by its content type: OpenAI SSE (`text/event-stream`), a JSON
 * completion (`application/json`, also what batch mode gets), or plain text where every chunk is a
 * text delta (`text/plain`, for hand-written backends). The same path serves both adapters.
 * `deliver` adds text to the reply; `onDone` is called on SSE's `[DONE]`.
 */
export function responseSink(
  contentType: string,
  state: CompletionState,
  deliver: (text: string) => void,
  onDone: () => void,
  secret?: string,
): TextSink {
  if (contentType.includes('text/event-stream')) {
    return createSseSink(({ event, data }) => {
      if (data === '[DONE]') onDone();
      else applyChunk(parsePayload(data, secret, event === 'error'), state, deliver);
    });
  }
  if (contentType.includes('json')) {
    let body = '';
    return {
      push: (text) => {
        body += text;
      },
      end: () => {
        const payload = parsePayload(body, secret);
        if (!Array.isArray(payload.choices)) throw invalidResponse('JSON without choices');
        applyChunk(payload, state, deliver);
      },
    };
  }
  if (contentType.includes('text/plain')) return { push: deliver, end: () => {} };
  throw invalidResponse(`content type "${contentType.slice(0, 60)}"`);
}
