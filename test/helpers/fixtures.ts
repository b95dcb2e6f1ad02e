// Recorded OpenAI fixtures and OpenAI's schemas, vendored under test/fixtures/ so the suite runs on any clone.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `test/fixtures/openai`: recorded Chat Completions streams and errors, and `responses/`. */
export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'openai');

/** `test/fixtures/openai-spec/schemas.json`: the schemas of OpenAI's spec that the tests reach. */
export const OPENAPI_SCHEMAS = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'openai-spec',
  'schemas.json',
);

/**
 * Reads a fixture file (a path under `FIXTURES_DIR`, or absolute). A missing or unreadable file
 * throws at once with its name, so a test fails on the spot instead of waiting on a server that
 * never answers.
 */
export function readFixture(path: string): Buffer;
export function readFixture(path: string, encoding: 'utf8'): string;
export function readFixture(path: string, encoding?: 'utf8'): Buffer | string {
  const full = path.startsWith('/') ? path : join(FIXTURES_DIR, path);
  try {
    return encoding ? readFileSync(full, encoding) : readFileSync(full);
  } catch (cause) {
    throw new Error(
      `fixture ${full} is missing or unreadable (${(cause as NodeJS.ErrnoException).code ?? cause})`,
    );
  }
}
