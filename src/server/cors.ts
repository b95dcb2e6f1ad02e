import { invalidRequest, type Rejection } from './json-error';
import type { RequestHead } from './request-head';

/** How a request's `Origin` relates to what the proxy allows. */
export type OriginVerdict =
  /** No `Origin` header (curl, a server) or the page's own origin: no CORS headers needed. */
  | { kind: 'same-origin' }
  /** A listed cross-origin caller: answered with CORS headers for exactly that origin. */
  | { kind: 'allowed'; origin: string }
  /** Anyone else: refused, and never given an `Access-Control-Allow-Origin`. */
  | { kind: 'foreign' };

/**
 * Classifies the request's origin. Without `allowedOrigins` only same-origin pages may call: the
 * origin's host must equal the request's own host (the scheme is not compared, because TLS often
 * ends at a load balancer in front of the server and the handler then sees `http:`).
 */
export function checkOrigin(
  request: RequestHead,
  allowedOrigins: readonly string[] | undefined,
): OriginVerdict {
  const origin = request.headers.get('origin');
  if (origin === null) return { kind: 'same-origin' };
  if (allowedOrigins?.includes(origin)) return { kind: 'allowed', origin };
  try {
    if (new URL(origin).host === new URL(request.url).host) return { kind: 'same-origin' };
  } catch {
    // `Origin: null` (sandboxed frames, file: pages) is not a URL and is foreign unless listed.
  }
  return { kind: 'foreign' };
}

/** The refusal for a foreign origin; it carries no CORS headers, so the browser hides even this from the page. */
export const foreignOrigin: Rejection = invalidRequest(
  403,
  'origin_not_allowed',
  'This origin may not call this endpoint.',
);

/** Headers every response to an allowed cross-origin caller carries. */
export function corsHeaders(verdict: OriginVerdict): Record<string, string> {
  if (verdict.kind !== 'allowed') return {};
  return {
    'access-control-allow-origin': verdict.origin,
    // For cookie-authenticated backends (`withCredentials('include')`); safe because the origin is listed.
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'x-request-id, retry-after, retry-after-ms',
    vary: 'Origin',
  };
}

/** The answer to an `OPTIONS` preflight. */
export function preflight(request: RequestHead, verdict: OriginVerdict): Response {
  if (verdict.kind === 'foreign') return new Response(null, { status: 403 });
  const headers: Record<string, string> = { allow: 'POST, OPTIONS', ...corsHeaders(verdict) };
  if (verdict.kind === 'allowed') {
    headers['access-control-allow-methods'] = 'POST, OPTIONS';
    // The page's own headers (`withHeaders`) are allowed because the origin itself is trusted.
    headers['access-control-allow-headers'] =
      request.headers.get('access-control-request-headers') ?? 'content-type';
    headers['access-control-max-age'] = '600';
  }
  return new Response(null, { status: 204, headers });
}
