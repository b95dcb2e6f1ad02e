import {
  applyChunk,
  type ChatCompletionPayload,
  type CompletionState,
  type Deliver,
  invalidResponse,
} from './chat-completion';
import { parseJson, streamError } from './http-errors';
import {
  applyResponse,
  applyResponseEvent,
  type ResponseEvent,
  type ResponseObject,
} from './responses-events';
import { createSseSink, MAX_BUFFER, type TextSink } from './sse-decoder';

type Payload = ChatCompletionPayload & ResponseEvent & ResponseObject;

/** Parses an event or a JSON reply; an error event or an `{"error": …}` object throws its error. */
function parsePayload(text: string, secret?: string, isError?: boolean): Payload {
  const payload = parseJson(text) as Payload | undefined;
  if (isError || payload?.error) throw streamError(payload, secret);
  if (!payload || typeof payload !== 'object') throw invalidResponse('invalid JSON');
  return payload;
}

/**
 * The sink for a 2xx body, picked by its content type: SSE (`text/event-stream`), a JSON reply
 * (`application/json`, also what batch mode gets), or plain text where every chunk is a text delta
 * (`text/plain`, for hand-written backends). The same path serves both adapters and both APIs: an
 * event with a `type` is a Responses event, one without is a Chat Completions chunk, so a backend
 * may answer either API's stream whichever body it was sent.
 *
 * The SSE sink reports the reply complete at `[DONE]` or a Responses terminal event; anything the
 * body holds after that, even in the same network chunk, is ignored.
 */
export function responseSink(
  contentType: string,
  state: CompletionState,
  deliver: Deliver,
  secret?: string,
): TextSink {
  let done = false;
  if (contentType.includes('text/event-stream')) {
    const feed = createSseSink(({ event, data }) => {
      if (done) return;
      if (data === '[DONE]') done = true;
      else {
        const payload = parsePayload(data, secret, event === 'error');
        if (typeof payload.type === 'string') done = applyResponseEvent(payload, state, deliver, secret);
        else applyChunk(payload, state, deliver);
      }
    });
    return (text, end) => {
      feed(text, end);
      return done;
    };
  }
  if (contentType.includes('json')) {
    let body = '';
    return (text, end) => {
      body += text;
      // A reply is never near this; a body that is must not take the tab's memory with it.
      if (body.length > MAX_BUFFER) throw invalidResponse('a reply too large to read');
      if (!end) return;
      const payload = parsePayload(body, secret);
      if (Array.isArray(payload.output)) applyResponse(payload, state, deliver, true);
      else if (Array.isArray(payload.choices)) applyChunk(payload, state, deliver);
      else throw invalidResponse('JSON without output or choices');
    };
  }
  if (contentType.includes('text/plain')) return (text) => deliver(text);
  throw invalidResponse(`content type "${contentType.slice(0, 60)}"`);
}
