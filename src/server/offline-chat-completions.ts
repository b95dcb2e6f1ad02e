import { jsonBody, type OfflineDelivery, randomHex, sseBody } from './offline-body';
import type { OfflineAnswer } from './offline-reply';
import type { Frame } from './paced-stream';

/**
 * An answer as OpenAI's Chat Completions sends it: with `stream`, SSE chunks (a role chunk, one
 * chunk per piece, a finish chunk, a usage chunk when asked for, `data: [DONE]`); otherwise one
 * `chat.completion` object. There is no reasoning on this API, so only the text is sent.
 */
export function chatCompletionsResponse(answer: OfflineAnswer, delivery: OfflineDelivery): Response {
  const { model, pieces, finishReason, drop } = answer;
  const usage = {
    prompt_tokens: answer.inputTokens,
    completion_tokens: pieces.length,
    total_tokens: answer.inputTokens + pieces.length,
  };
  const id = `chatcmpl-offline${randomHex(20)}`;
  const created = Math.floor(Date.now() / 1000);

  if (!delivery.stream) {
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
    return jsonBody(completion, drop, delivery);
  }

  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_offline',
      choices,
      ...(delivery.includeUsage ? { usage: null } : {}),
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
    if (delivery.includeUsage) frames.push({ text: chunk([], { usage }) });
    frames.push({ text: 'data: [DONE]\n\n' });
  }
  return sseBody(frames, drop, delivery);
}
