/** A `fetch` implementation: the global one, or any function with its shape. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Everything one call of the request path needs; adapters build it, the core never reads settings. */
export interface ChatRequest {
  url: string;
  headers: Record<string, string>;
  /** The request body (Responses or Chat Completions), already serialized. */
  body: string;
  credentials?: RequestCredentials;
  /** Default: the global `fetch`, looked up per call, so a page that replaces it later is honoured. */
  fetch?: FetchLike;
  /** ms to wait for response headers. */
  requestTimeout: number;
  /** ms a body may go without a byte. */
  idleTimeout: number;
  maxRetries: number;
  signal?: AbortSignal;
  /** The API key, only so that it can be redacted from anything the server echoes. */
  secret?: string;
  /** Appended to a `not-found` error's message when the server gave no error code (a missing endpoint). */
  notFoundHint?: string;
}
