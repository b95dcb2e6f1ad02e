/** The running example server. */
export interface StartedServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787` (no trailing slash). */
  url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Starts the example server (see scripts/start.mjs for its routes). */
export function startServer(options?: {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /**
   * The OpenAI key for `/api/chat`. Default: `OPENAI_API_KEY`. Given as `''` or `undefined`, the proxy
   * uses the offline demo model whatever the environment holds.
   */
  apiKey?: string;
  /** Where the startup line goes. Default `console.log`. */
  log?: (line: string) => void;
}): Promise<StartedServer>;
