import { redactKey } from '../core/redact-key';
import type { Rejection } from './json-error';

// An error body is a few hundred bytes; anything bigger is not one worth reading to the end.
const maxErrorBytes = 16 * 1024;

/**
 * Turns a non-2xx upstream response into the proxy's own JSON error. Status mapping:
 *
 * | upstream | proxy | why |
 * |---|---|---|
 * | 401, 403 | 502 `upstream_auth_failed` / `upstream_permission_denied` | the server's key or account is at fault; the browser can fix nothing and must not be told its (absent) key is wrong |
 * | 429 | 429, same `code` (`rate_limit_exceeded`, `insufficient_quota`), `retry-after(-ms)` kept | the client should wait, or stop on quota |
 * | other 4xx (400, 404, 409, 413, 422) | same status and `code` | they describe the request the client sent |
 * | 5xx, or anything else | 502 `upstream_server_error` | the upstream failed, not this server |
 *
 * Upstream messages are passed on (so "model not found" stays readable) with anything key-shaped and
 * the account's organization and project ids removed; on 401/403 they are replaced entirely, since
 * OpenAI quotes the masked key there.
 */
export async function mapUpstreamError(upstream: Response, apiKey: string | undefined): Promise<Rejection> {
  const status = upstream.status;
  const headers: Record<string, string> = {};
  for (const name of ['retry-after', 'retry-after-ms']) {
    const value = upstream.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const upstreamError = await readErrorObject(upstream);
  const message = upstreamError?.message
    ? redactAccount(redactKey(upstreamError.message, apiKey)).slice(0, 500)
    : undefined;

  if (status === 401) {
    return {
      status: 502,
      type: 'upstream_error',
      code: 'upstream_auth_failed',
      message: 'The server could not authenticate with the model provider. Check the server’s API key.',
    };
  }
  if (status === 403) {
    return {
      status: 502,
      type: 'upstream_error',
      code: 'upstream_permission_denied',
      message: 'The model provider refused this server’s account access to the request.',
    };
  }
  if (status === 429) {
    const code = upstreamError?.code === 'insufficient_quota' ? 'insufficient_quota' : 'rate_limit_exceeded';
    return {
      status: 429,
      type: code === 'insufficient_quota' ? 'insufficient_quota' : 'requests',
      code,
      message: message ?? 'The model provider is rate limiting this server. Try again shortly.',
      headers,
    };
  }
  if (status >= 400 && status < 500) {
    return {
      status,
      type: 'invalid_request_error',
      code: upstreamError?.code ?? 'upstream_rejected',
      message: message ?? `The model provider refused the request (HTTP ${status}).`,
    };
  }
  return {
    status: 502,
    type: 'upstream_error',
    code: 'upstream_server_error',
    message: `The model provider failed (HTTP ${status}). Try again shortly.`,
    headers,
  };
}

async function readErrorObject(upstream: Response): Promise<{ message?: string; code?: string } | undefined> {
  if (!upstream.body) return undefined;
  const reader = upstream.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (text.length > maxErrorBytes) return undefined;
    }
    const parsed: unknown = JSON.parse(text);
    const error = (parsed as { error?: unknown } | null)?.error;
    if (typeof error !== 'object' || error === null) return undefined;
    const { message, code } = error as { message?: unknown; code?: unknown };
    return {
      ...(typeof message === 'string' ? { message } : {}),
      ...(typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? { code } : {}),
    };
  } catch {
    // An HTML error page from a load balancer, a truncated body: nothing worth passing on.
    return undefined;
  } finally {
    reader.cancel().catch(() => {});
  }
}

// OpenAI's rate-limit messages name the account ("… in organization org-AbC123 on tokens per min"):
// of no use to a visitor, and one more thing about the server's account they need not learn.
const accountIds = /\b(?:org|proj)[-_][A-Za-z0-9]{4,}/g;

function redactAccount(text: string): string {
  return text.replace(accountIds, '[redacted]');
}
