import type { ConnectionInfo } from './handler';

/**
 * What the proxy's checks read of a request: its method, URL and headers. A Fetch Request is one;
 * `toNodeHandler` passes a lighter one read straight from Node's request, since building a Request
 * costs more than the checks themselves.
 */
export interface RequestHead {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** Reads a request's body whole; rejects when the read failed. */
export type ReadBody = () => Promise<Uint8Array>;

/** One request as the proxy sees it, however it arrived. */
export interface IncomingRequest {
  head: RequestHead;
  /**
   * Its body: the Fetch Request's stream, or from `toNodeHandler` the bytes a parser already read or
   * the read of the rest, started only once the checks before it passed.
   */
  body: ReadableStream<Uint8Array> | Uint8Array | ReadBody | null;
  /** The Fetch Request itself, built on demand where there was none: for `identify`, Bun's `requestIP`. */
  request(): Request;
  connection: ConnectionInfo | object | undefined;
}
