import type { ServerResponse } from 'node:http';
import type { IncomingRequest } from './request-head';

/**
 * Where a handler keeps its node:http fast path, which `toNodeHandler` uses instead of calling it
 * with a Request and copying the Response's web stream. Internal: not exported from the package.
 */
export const nodeFastPath = Symbol('chatwire.nodeFastPath');

/** What `toNodeHandler` hands the fast path for one request. */
export interface NodeFastPathCall extends IncomingRequest {
  /** Aborts when the client's connection closes before the response is complete. */
  signal: AbortSignal;
  res: ServerResponse;
  writeTimeoutMs: number;
}

export interface NodeFastPath {
  /**
   * Serves the request writing straight to `res`. Resolves with a Response for `toNodeHandler` to
   * write as usual (a refusal), or undefined once it wrote `res` itself.
   */
  serve(call: NodeFastPathCall): Promise<Response | undefined>;
  /**
   * The largest body it accepts: `toNodeHandler` gives `serve` a read of the body into memory (cheaper
   * than a web stream for a few KiB), which stops one chunk past this size, or does not read at all
   * when `content-length` is already past it; the handler then refuses it.
   */
  maxBodyBytes: number;
}

/** The fast path a handler carries, if any. */
export function fastPathOf(handler: object): NodeFastPath | undefined {
  return (handler as { [nodeFastPath]?: NodeFastPath })[nodeFastPath];
}
