/**
 * The body of every error the server helpers answer with. It is OpenAI's own error shape, so a client
 * parses one shape whether the error came from the proxy or from upstream.
 */
export interface JsonErrorBody {
  error: { message: string; type: string; code: string | null; param?: string | null };
}

/** What a check refuses with; turned into a JSON error response by `jsonError`. */
export interface Rejection {
  status: number;
  type: string;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

/** A JSON error response in OpenAI's shape. */
export function jsonError(rejection: Rejection): Response {
  const body: JsonErrorBody = {
    error: { message: rejection.message, type: rejection.type, code: rejection.code },
  };
  return new Response(JSON.stringify(body), {
    status: rejection.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...rejection.headers },
  });
}

/**
 * The answer when the server itself failed (a throwing handler, a rate-limit store that is down). It
 * never carries the failure's own message, which could hold anything, a key included.
 */
export function internalError(): Response {
  return jsonError({
    status: 500,
    type: 'server_error',
    code: 'internal_error',
    message: 'Internal server error.',
  });
}

/** A 400-class refusal of the client's request. */
export function invalidRequest(status: number, code: string, message: string): Rejection {
  return { status, type: 'invalid_request_error', code, message };
}
