import type { ServerResponse } from 'node:http';
import type { ConnectionInfo } from './handler';

/**
 * Where a handler keeps its node:http fast path, which `toNodeHandler` uses instead of calling it
 * with a Request and copying the Response's web stream. Internal: not exported from the package.
 */
export const nodeFastPath = Symbol('chatwire.nodeFastPath');

/**
 * Serves `request` (the Fetch view of the Node request) writing straight to `res`. Resolves with a
 * Response for `toNodeHandler` to write as usual (a refusal), or undefined once it wrote `res` itself.
 */
export type NodeFastPath = (
  request: Request,
  connection: ConnectionInfo,
  res: ServerResponse,
  writeTimeoutMs: number,
) => Promise<Response | undefined>;

/** The fast path a handler carries, if any. */
export function fastPathOf(handler: object): NodeFastPath | undefined {
  return (handler as { [nodeFastPath]?: NodeFastPath })[nodeFastPath];
}
