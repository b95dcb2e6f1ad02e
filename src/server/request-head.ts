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

/** One request as the proxy sees it, however it arrived. */
export interface IncomingRequest {
  head: RequestHead;
  /**
   * Its body: the Fetch Request's stream, or what `toNodeHandler` read beforehand (the bytes, or the
   * read's failure).
   */
  body: ReadableStream<Uint8Array> | Uint8Array | Error | null;
  /** The Fetch Request itself, built on demand where there was none: for `identify`, Bun's `requestIP`. */
  request(): Request;
  connection: ConnectionInfo | object | undefined;
}
