import type { ProxyApi } from './api-route';
import type { Rejection } from './json-error';
import type { RelayOutcome } from './relay-stream';
import type { UsageReport } from './usage';

/**
 * A request that passed every check, ready to go upstream: what to send, and how to end it. Each
 * relay (web streams in `proxy.ts`, node:http in `node-relay.ts`) sends it and calls exactly one of
 * `refuse`, `refuseUpstreamError`, `left` or `end`, once.
 */
export interface UpstreamCall {
  api: ProxyApi;
  /** The upstream endpoint: the base URL with `/responses` or `/chat/completions` appended. */
  url: string;
  /** What the upstream is sent: content type, accept, and the key's `authorization`. */
  headers: Record<string, string>;
  body: string;
  /** CORS headers for the caller's origin, for the relayed response. */
  cors: Record<string, string>;
  /** The JSON refusal for the client (the upstream never answered usefully), reported as failed. */
  refuse(rejection: Rejection): Promise<Response>;
  /** The mapped, redacted refusal for a non-2xx upstream response, reported as failed. */
  refuseUpstreamError(upstream: Response): Promise<Response>;
  /** The upstream answered 2xx with this `x-request-id`; its reply is being relayed. */
  started(requestId: string | null): void;
  /** The relayed reply ended: charges the budget (its usage, or the worst case) and reports it. */
  end(outcome: RelayOutcome, status: number, usage: UsageReport | undefined): void;
  /**
   * The client left before the upstream answered: reported as aborted, and charged the worst case when
   * the request was sent (`sent`), since the upstream may be generating the reply all the same.
   */
  left(sent: boolean): void;
}

/** The upstream sent no response within `timeout.request`. */
export const upstreamTimeout: Rejection = {
  status: 504,
  type: 'upstream_error',
  code: 'upstream_timeout',
  message: 'The model provider did not answer in time.',
};

// The message of a failed connection can name the upstream host and is of no use to a browser.
/** The upstream could not be reached, or answered with a redirect (never followed: it would carry the key). */
export const upstreamUnreachable: Rejection = {
  status: 502,
  type: 'upstream_error',
  code: 'upstream_unreachable',
  message: 'The model provider could not be reached.',
};
