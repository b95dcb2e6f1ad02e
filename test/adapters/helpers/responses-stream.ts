// A Responses API SSE body in the recorded event order (see test/fixtures/openai/responses/README.md),
// for tests that need a shape no recording has: a refusal, a citation, a content-filter cut-off.

/** One Responses stream event, framed as OpenAI frames them. */
export const responsesEvent = (event: { type: string } & Record<string, unknown>): string =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

interface StreamOptions {
  /** Text deltas of the message item. */
  deltas?: string[];
  /** Refusal deltas instead of (or after) text. */
  refusal?: string[];
  /** `url_citation` annotations on the message's text. */
  citations?: Array<{ url: string; title: string }>;
  /** `response.incomplete` with this reason instead of `response.completed`. */
  incomplete?: string;
}

/** The events of a whole stream, each its own string, ending in the terminal event. */
export function responsesEvents(options: StreamOptions = {}): string[] {
  const { deltas = [], refusal = [], citations = [], incomplete } = options;
  const base = { id: 'resp_test', object: 'response', model: 'gpt-4o-mini-test', output: [], usage: null };
  const text = deltas.join('');
  const content = [
    ...(deltas.length
      ? [
          {
            type: 'output_text',
            text,
            annotations: citations.map((c) => ({ type: 'url_citation', start_index: 0, end_index: 1, ...c })),
          },
        ]
      : []),
    ...(refusal.length ? [{ type: 'refusal', refusal: refusal.join('') }] : []),
  ];
  const message = { type: 'message', id: 'msg_test', role: 'assistant', status: 'completed', content };
  const final = {
    ...base,
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete ? { reason: incomplete } : null,
    output: [message],
    usage: {
      input_tokens: 9,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: deltas.length + refusal.length,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 9 + deltas.length + refusal.length,
    },
  };
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown> = {}) =>
    responsesEvent({ type, sequence_number: sequence++, ...fields });
  return [
    event('response.created', { response: { ...base, status: 'in_progress' } }),
    event('response.in_progress', { response: { ...base, status: 'in_progress' } }),
    event('response.output_item.added', { output_index: 0, item: { ...message, content: [] } }),
    ...deltas.map((delta) =>
      event('response.output_text.delta', { item_id: 'msg_test', output_index: 0, content_index: 0, delta }),
    ),
    ...citations.map((annotation, index) =>
      event('response.output_text.annotation.added', {
        output_index: 0,
        annotation_index: index,
        annotation: { type: 'url_citation', ...annotation },
      }),
    ),
    ...refusal.map((delta) => event('response.refusal.delta', { output_index: 0, content_index: 1, delta })),
    event('response.output_item.done', { output_index: 0, item: message }),
    event(incomplete ? 'response.incomplete' : 'response.completed', { response: final }),
  ];
}

/** Response headers for a Responses stream. */
export const responsesHeaders = (requestId = 'req_responses'): Record<string, string> => ({
  'content-type': 'text/event-stream; charset=utf-8',
  'x-request-id': requestId,
});
