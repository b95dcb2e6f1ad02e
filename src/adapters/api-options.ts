import { check, checkChoice, checkRecord } from './validate';

/** Which OpenAI API an adapter speaks: `responses` (`POST /responses`, the default) or `chat-completions`. */
export type ChatApi = 'responses' | 'chat-completions';

/** How much a reasoning model thinks, and whether it sends a summary of its thinking (Responses only). */
export interface ReasoningOptions {
  effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
  summary?: 'auto' | 'concise' | 'detailed';
}

/** The settings whose meaning depends on the API; checked together, whichever was set last. */
export interface ApiSettings {
  api: ChatApi;
  reasoning?: Readonly<ReasoningOptions>;
  modelOptions?: Readonly<Record<string, unknown>>;
}

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
const SUMMARIES = ['auto', 'concise', 'detailed'] as const;

/** Validates `withReasoning`'s argument; keeps only the two known fields (an unset one stays undefined). */
export function checkReasoning(value: unknown): ReasoningOptions {
  const { effort, summary } = checkRecord(value, 'reasoning');
  check(effort || summary, 0, 'reasoning', '{ effort } and/or { summary }');
  return {
    effort: effort === undefined ? effort : checkChoice(effort, EFFORTS, 'reasoning.effort'),
    summary: summary === undefined ? summary : checkChoice(summary, SUMMARIES, 'reasoning.summary'),
  };
}

// Chat Completions options with no Responses equivalent. They are refused rather than dropped, so a
// setting never silently does nothing (`response_format` lives under `text` there). Rarer ones
// (audio, prediction, …) are passed on, and OpenAI's 400 names them.
const CHAT_ONLY = /^(stop|seed|n|presence_penalty|frequency_penalty|logit_bias|logprobs|response_format)$/;

/**
 * Throws `invalid-config` when the API and the other settings do not fit together, at whichever
 * `with*` call made them not fit; returns the settings unchanged.
 */
export function checkForApi<S extends ApiSettings>(settings: S): S {
  const { api, reasoning, modelOptions } = settings;
  if (api === 'responses') {
    for (const name in modelOptions)
      check(
        !CHAT_ONLY.test(name),
        0,
        `modelOptions.${name}`,
        "withApi('chat-completions') (Responses has none)",
      );
  } else
    check(!reasoning?.summary, 0, 'reasoning.summary', "withApi('responses') (Chat Completions has none)");
  return settings;
}
