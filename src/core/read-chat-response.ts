import type { CompletionState } from './chat-completion';
import { applyChunk, type ChatCompletionPayload } from './chat-completion';
import { ChatError } from './errors';
import { streamError } from './http-errors';
import { createSseSink, type TextSink } from './sse-decoder';

/** Hooks the request path gives a reader: where text goes and how to stop early. */
export interface ReadContext {
  state: CompletionState;
  onDelta(text: string): void;
  /** Called after every network chunk (feeds the idle timer). */
  onBytes(): void;
  /** Returns the failure (abort or timeout) that should end reading now, if any. */
  failure(): ChatError | undefined;
  /** Lets the request path cancel the body when it aborts. */
  setCancel(cancel: () => void): void;
  secret?: string;
}

function invalidResponse(what: string): ChatError {
  return new ChatError('invalid-response', `The server sent ${what}`);
}

/** Parses a chunk or completion; an `{"error": …}` object in a 2xx body is a `stream-error`. */
function parsePayload(text: string, secret?: string): ChatCompletionPayload {
  let payload: ChatCompletionPayload | undefined;
  try {
    payload = JSON.parse(text);
  } catch {
    // reported below
  }
  if (!payload || typeof payload !== 'object') throw invalidResponse('invalid JSON');
  if (payload.error) throw streamError(payload, secret);
  return payload;
}

/**
 * Picks the reader for a 2xx body by its content type: OpenAI SSE (`text/event-stream`), a JSON
 * completion (`application/json`, also what batch mode gets), or plain text where every chunk is a
 * text delta (`text/plain`, for hand-written backends). The same path serves both adapters.
 */
function sinkFor(contentType: string, context: ReadContext, done: () => void): TextSink {
  const { state, onDelta, secret } = context;
  if (contentType.includes('text/event-stream')) {
    return createSseSink((event) => {
      const data = event.data;
      if (data === '[DONE]') return done();
      if (event.event === 'error') {
        let parsed: unknown = data;
        try {
          parsed = JSON.parse(data);
        } catch {
          // a bare text message is still the message
        }
        throw streamError(parsed, secret);
      }
      // An abort from inside `next` must stop the deltas of the chunk being parsed, not only later ones.
      const failure = context.failure();
      if (failure) throw failure;
      applyChunk(parsePayload(data, secret), state, onDelta);
    });
  }
  if (contentType.includes('json')) {
    const parts: string[] = [];
    return {
      push: (text) => parts.push(text),
      end: () => {
        const payload = parsePayload(parts.join(''), secret);
        if (!Array.isArray(payload.choices)) throw invalidResponse('JSON without choices');
        applyChunk(payload, state, onDelta);
      },
    };
  }
  if (contentType.includes('text/plain')) {
    return {
      push: (text) => {
        state.text += text;
        onDelta(text);
      },
      end: () => {},
    };
  }
  throw invalidResponse(`content type "${contentType.slice(0, 60)}"`);
}

function drain(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  reader.read().then(
    (result) => result.done || drain(reader),
    () => {},
  );
}

/** Reads a 2xx body to its end (or to `[DONE]`), filling `context.state`. */
export async function readChatResponse(response: Response, context: ReadContext): Promise<void> {
  let finished = false;
  const sink = sinkFor(response.headers.get('content-type') ?? '', context, () => {
    finished = true;
  });
  const body = response.body;
  if (!body) throw invalidResponse('no body');
  const reader = body.getReader();
  context.setCancel(() => {
    reader.cancel().catch(() => {});
  });
  // One streaming decoder for the whole body: `stream: true` holds back a multibyte character's
  // leading bytes until the rest arrive, so no delta ever holds half a character.
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    // A cancelled read resolves as `done`; the failure that cancelled it is the real outcome.
    const failure = context.failure();
    if (failure) throw failure;
    if (done) break;
    context.onBytes();
    const text = decoder.decode(value, { stream: true });
    if (text) sink.push(text);
    if (finished) {
      // `[DONE]` ends the reply: finish now rather than wait for the server to close. The rest is
      // drained instead of cancelled, because some fetch implementations (happy-dom's) throw an
      // uncaught error when a cancelled body later ends.
      drain(reader);
      return;
    }
  }
  const rest = decoder.decode();
  if (rest) sink.push(rest);
  sink.end();
}
