/** A bundle a page may build from chatwire, and the most it may weigh in gzip bytes. */
export const SIZE_BUDGETS: { name: string; code: string; gzip: number }[];
