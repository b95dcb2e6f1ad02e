import { invalidConfig } from '../core/errors';
import { invalidRequest, type Rejection } from './json-error';
import type { RequestHead } from './request-head';

/**
 * A check of the `Host` a request was sent to, against DNS rebinding: a page on
 * `rebind.attacker.example` whose name is made to resolve to your server is, to the browser, same-origin
 * with it, but its requests still say `Host: rebind.attacker.example`. An entry with a port
 * (`localhost:8787`) must match exactly; one without (`example.com`) matches any port. Case-insensitive.
 */
export function createHostCheck(
  allowedHosts: readonly string[] | undefined,
): (request: RequestHead) => Rejection | undefined {
  if (allowedHosts === undefined) return () => undefined;
  if (!Array.isArray(allowedHosts) || allowedHosts.some((host) => typeof host !== 'string' || host === '')) {
    throw invalidConfig(
      'createOpenAiProxy: allowedHosts must be an array of host names (e.g. "example.com").',
    );
  }
  const allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
  return (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return hostNotAllowed;
    }
    const host = url.host.toLowerCase();
    return allowed.has(host) || allowed.has(url.hostname.toLowerCase()) ? undefined : hostNotAllowed;
  };
}

const hostNotAllowed: Rejection = invalidRequest(
  403,
  'host_not_allowed',
  'This server does not answer requests for that host name.',
);
