import type { JsonErrorBody } from './json-error';

/** An OpenAI-shaped error the offline model answers `/error <status>` with. */
export interface SimulatedError {
  status: number;
  body: JsonErrorBody;
  headers: Record<string, string>;
}

const error = (message: string, type: string, code: string | null): JsonErrorBody => ({
  error: { message, type, param: null, code },
});

// OpenAI quotes the key it was given, masked, in its 401 message; doing the same lets tests check
// that nothing downstream passes even the masked form on.
function maskedKey(authorization: string | null): string | undefined {
  const key = authorization?.match(/^Bearer\s+(\S+)/i)?.[1];
  if (!key) return undefined;
  return key.length > 12 ? `${key.slice(0, 8)}****${key.slice(-4)}` : '****';
}

/**
 * The error for `/error <what>`: an HTTP status from 400 to 599, or `quota` (a 429 that says
 * `insufficient_quota`, which a status alone cannot express). Undefined for anything else.
 */
export function simulatedError(what: string, request: Request, model: string): SimulatedError | undefined {
  if (what === 'quota') {
    return {
      status: 429,
      headers: {},
      body: error(
        'You exceeded your current quota, please check your plan and billing details. (offline model)',
        'insufficient_quota',
        'insufficient_quota',
      ),
    };
  }
  const status = Number(what);
  if (!Number.isInteger(status) || status < 400 || status > 599) return undefined;
  const simulated = (body: JsonErrorBody, headers: Record<string, string> = {}) => ({
    status,
    body,
    headers,
  });
  switch (status) {
    case 401: {
      const masked = maskedKey(request.headers.get('authorization'));
      return simulated(
        error(
          masked
            ? `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`
            : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          'invalid_request_error',
          masked ? 'invalid_api_key' : null,
        ),
      );
    }
    case 403:
      return simulated(
        error(
          'Country, region, or territory not supported',
          'request_forbidden',
          'unsupported_country_region_territory',
        ),
      );
    case 404:
      return simulated(
        error(
          `The model \`${model}\` does not exist or you do not have access to it.`,
          'invalid_request_error',
          'model_not_found',
        ),
      );
    case 429:
      // Short waits, so a client that honours them retries within a test's patience.
      return simulated(
        error(
          `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 100ms. (offline model)`,
          'requests',
          'rate_limit_exceeded',
        ),
        { 'retry-after-ms': '100', 'retry-after': '1' },
      );
    case 500:
      return simulated(
        error(
          'The server had an error while processing your request. Sorry about that! (offline model)',
          'server_error',
          null,
        ),
      );
    default:
      return simulated(
        status >= 500
          ? error(
              `The server is overloaded or not ready yet. (offline model, HTTP ${status})`,
              'server_error',
              null,
            )
          : error(`A simulated HTTP ${status} from the offline model.`, 'invalid_request_error', null),
      );
  }
}
