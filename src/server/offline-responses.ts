import { jsonBody, type OfflineDelivery, randomHex, sseBody } from './offline-body';
import type { OfflineAnswer } from './offline-reply';
import type { Frame } from './paced-stream';

/** The parts of a Responses request the offline model echoes back on its response object. */
export interface ResponsesEcho {
  instructions: string | null;
  maxOutputTokens: number | null;
  reasoning: { effort: string | null; summary: string | null };
  temperature: number;
  topP: number;
}

/**
 * An answer as OpenAI's Responses API sends it. With `stream`, events in the recorded order
 * (test/fixtures/openai/responses/README.md): `response.created` → `response.in_progress` → for a
 * reasoning item `output_item.added` → per summary part `reasoning_summary_part.added` →
 * `reasoning_summary_text.delta`… → `.done` → `reasoning_summary_part.done`, then `output_item.done`
 * → for the message `output_item.added` → `content_part.added` → `output_text.delta`… →
 * `output_text.done` → `content_part.done` → `output_item.done` → `response.completed` (or
 * `response.incomplete` when `max_output_tokens` cut it), usage only on that last event. No
 * `[DONE]`. Without `stream`, the final response object as JSON.
 */
export function responsesResponse(
  answer: OfflineAnswer,
  echo: ResponsesEcho,
  delivery: OfflineDelivery,
): Response {
  const { model, reasoning, pieces, finishReason, drop } = answer;
  const responseId = `resp_${randomHex(48)}`;
  const reasoningId = `rs_${randomHex(48)}`;
  const messageId = `msg_${randomHex(48)}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const incomplete = finishReason === 'length';
  const reasoningTokens = reasoning.reduce((sum, part) => sum + part.length, 0);
  const text = pieces.join('');

  const summary = reasoning.map((part) => ({ type: 'summary_text', text: part.join('') }));
  const reasoningItem = { id: reasoningId, type: 'reasoning', summary };
  const textPart = { type: 'output_text', annotations: [], logprobs: [], text };
  const messageItem = (status: string, content: unknown[]) => ({
    id: messageId,
    type: 'message',
    status,
    content,
    role: 'assistant',
  });
  const responseObject = (status: string, output: unknown[], final: boolean) => ({
    id: responseId,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: final && incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: echo.instructions,
    max_output_tokens: echo.maxOutputTokens,
    model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: echo.reasoning,
    service_tier: final ? 'default' : 'auto',
    store: false,
    temperature: echo.temperature,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: echo.topP,
    truncation: 'disabled',
    // Recordings send `usage: null` before the end; OpenAI's schema has no null there, so it is left out.
    ...(final && {
      usage: {
        input_tokens: answer.inputTokens,
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: reasoningTokens + pieces.length,
        output_tokens_details: { reasoning_tokens: reasoningTokens },
        total_tokens: answer.inputTokens + reasoningTokens + pieces.length,
      },
    }),
    metadata: {},
  });
  const finalStatus = incomplete ? 'incomplete' : 'completed';
  const finalOutput = [
    ...(reasoning.length > 0 ? [reasoningItem] : []),
    messageItem(finalStatus, [textPart]),
  ];

  if (!delivery.stream) {
    return jsonBody(JSON.stringify(responseObject(finalStatus, finalOutput, true)), drop, delivery);
  }

  let sequence = 0;
  const frames: Frame[] = [];
  const event = (type: string, fields: Record<string, unknown>, paced = false) => {
    const data = JSON.stringify({ type, sequence_number: sequence++, ...fields });
    frames.push({ text: `event: ${type}\ndata: ${data}\n\n`, paced });
  };

  event('response.created', { response: responseObject('in_progress', [], false) });
  event('response.in_progress', { response: responseObject('in_progress', [], false) });
  let outputIndex = 0;
  if (reasoning.length > 0) {
    const at = { item_id: reasoningId, output_index: outputIndex };
    event('response.output_item.added', {
      output_index: outputIndex,
      item: { ...reasoningItem, summary: [] },
    });
    reasoning.forEach((part, summaryIndex) => {
      const partText = part.join('');
      event('response.reasoning_summary_part.added', {
        ...at,
        summary_index: summaryIndex,
        part: { type: 'summary_text', text: '' },
      });
      for (const delta of part) {
        event('response.reasoning_summary_text.delta', { ...at, summary_index: summaryIndex, delta }, true);
      }
      event('response.reasoning_summary_text.done', { ...at, summary_index: summaryIndex, text: partText });
      event('response.reasoning_summary_part.done', {
        ...at,
        summary_index: summaryIndex,
        part: { type: 'summary_text', text: partText },
      });
    });
    event('response.output_item.done', { output_index: outputIndex, item: reasoningItem });
    outputIndex++;
  }
  const at = { item_id: messageId, output_index: outputIndex, content_index: 0 };
  event('response.output_item.added', { output_index: outputIndex, item: messageItem('in_progress', []) });
  event('response.content_part.added', { ...at, part: { ...textPart, text: '' } });
  for (const delta of pieces) event('response.output_text.delta', { ...at, delta, logprobs: [] }, true);
  if (!drop) {
    event('response.output_text.done', { ...at, text, logprobs: [] });
    event('response.content_part.done', { ...at, part: textPart });
    event('response.output_item.done', {
      output_index: outputIndex,
      item: messageItem(finalStatus, [textPart]),
    });
    event(incomplete ? 'response.incomplete' : 'response.completed', {
      response: responseObject(finalStatus, finalOutput, true),
    });
  }
  return sseBody(frames, drop, delivery);
}
