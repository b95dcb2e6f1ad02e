import { invalidRequest, type Rejection } from './json-error';

/**
 * Reads a request body as text, refusing (413) as soon as it grows past `maxBytes`. The stream is
 * cancelled at that point, so a client sending megabytes is cut off after the first `maxBytes`
 * instead of being read to the end and then refused.
 */
export async function readLimitedText(request: Request, maxBytes: number): Promise<string | Rejection> {
  const tooLarge = invalidRequest(
    413,
    'body_too_large',
    `The request body is larger than ${maxBytes} bytes.`,
  );
  const declared = Number(request.headers.get('content-length'));
  if (declared > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return tooLarge;
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return tooLarge;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return invalidRequest(400, 'invalid_json', 'The request body is not valid UTF-8 JSON.');
  }
}
