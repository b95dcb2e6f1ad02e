/** The adapter alone, in gzip bytes. */
export const ADAPTER_BUDGET: number;
/** The chat UI with an adapter, theme and markdown, in gzip bytes. */
export const CHAT_UI_BUDGET: number;
/** The markdown renderer alone, in gzip bytes. */
export const MARKDOWN_BUDGET: number;
/** A bundle a page may build from chatwire, and the most it may weigh in gzip bytes. */
export const SIZE_BUDGETS: { name: string; code: string; gzip: number }[];
