import type { ProxyApi } from './api-route';

/** Token counts of one reply, as the upstream reported them (both APIs, in one shape). */
export interface UsageReport {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Input tokens served from the prompt cache, when reported. */
  cachedTokens?: number;
  /** Output tokens spent on reasoning, when reported. */
  reasoningTokens?: number;
}

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/**
 * The usage in a decoded Chat Completions chunk or completion (`usage`), or in a Responses event or
 * response (`response.usage`, `usage`), or undefined.
 */
export function usageFrom(api: ProxyApi, payload: unknown): UsageReport | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as { usage?: unknown; response?: { usage?: unknown } };
  const raw = (record.usage ?? record.response?.usage) as Record<string, unknown> | null | undefined;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const details = (name: string) => (raw[name] ?? {}) as Record<string, unknown>;
  const prompt = count(api === 'responses' ? raw.input_tokens : raw.prompt_tokens);
  const completion = count(api === 'responses' ? raw.output_tokens : raw.completion_tokens);
  if (prompt === undefined || completion === undefined) return undefined;
  const report: UsageReport = {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: count(raw.total_tokens) ?? prompt + completion,
  };
  const cached = count(
    details(api === 'responses' ? 'input_tokens_details' : 'prompt_tokens_details').cached_tokens,
  );
  const reasoning = count(
    details(api === 'responses' ? 'output_tokens_details' : 'completion_tokens_details').reasoning_tokens,
  );
  if (cached !== undefined) report.cachedTokens = cached;
  if (reasoning !== undefined) report.reasoningTokens = reasoning;
  return report;
}
