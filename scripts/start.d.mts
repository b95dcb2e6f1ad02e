/** The running example server. */
export interface StartedServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Starts the example server (see scripts/start.mjs for its routes). */
export function startServer(options?: {
  port?: number;
  host?: string;
  apiKey?: string;
  log?: (line: string) => void;
}): Promise<StartedServer>;
