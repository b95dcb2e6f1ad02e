import { invalidRequest, type Rejection } from './json-error';
import type { ReadBody, RequestHead } from './request-head';

/**
 * Reads a request body as text, refusing (413) as soon as it grows past `maxBytes`. The stream is
 * cancelled at that point, so a client sending megabytes is cut off after the first `maxBytes`
 * instead of being read to the end and then refused. `body` is the request's stream, its bytes, or
 * (`toNodeHandler`'s fast path) the read of it.
 */
export async function readLimitedText(
  headers: RequestHead['headers'],
  body: ReadableStream<Uint8Array> | Uint8Array | ReadBody | null,
  maxBytes: number,
): Promise<string | Rejection> {
  const tooLarge = invalidRequest(
    413,
    'body_too_large',
    `The request body is larger than ${maxBytes} bytes.`,
  );
  const declared = Number(headers.get('content-length'));
  if (declared > maxBytes) {
    if (body instanceof ReadableStream) await body.cancel().catch(() => {});
    return tooLarge;
  }
  const read = typeof body === 'function' ? await body() : body;
  const bytes =
    read instanceof ReadableStream ? await readStream(read, maxBytes) : (read ?? new Uint8Array(0));
  if (!bytes || bytes.byteLength > maxBytes) return tooLarge;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return invalidRequest(400, 'invalid_json', 'The request body is not valid UTF-8 JSON.');
  }
}

/** The whole of `body`, or undefined (the read cancelled) once it grows past `maxBytes`. */
async function readStream(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
