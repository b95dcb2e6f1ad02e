// The examples the browser suite drives, and how to get each one to a chat that is ready to use.
import { readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { repoRoot } from './example-server';

/** A fake key: the offline model accepts any, and the tests search for it everywhere it must not be. */
export const FAKE_KEY = 'sk-test-byok-5f2c9a7e31d84b60a1c4';

/** One example page. */
export interface Example {
  /** Its folder in examples/ (and its path, `/examples/<name>/`). */
  name: string;
  /** Query string the tests add to the page's URL. */
  query?: string;
  /** Gets the page from "loaded" to "a chat is on screen". */
  prepare?(page: Page): Promise<void>;
  /**
   * What the reader is told when the model provider answers 401. Through the proxy that is the server's
   * key failing, which the proxy reports as a 502 (the browser has no key to fix); with the visitor's
   * own key it is their key.
   */
  upstream401Text: string;
}

const THROUGH_PROXY = 'The server had a problem';

/** Every browser example: all folders in examples/ except the server-side one. */
export const EXAMPLES: Example[] = [
  { name: 'cdn', upstream401Text: THROUGH_PROXY },
  { name: 'esm', upstream401Text: THROUGH_PROXY },
  { name: 'web-component', upstream401Text: THROUGH_PROXY },
  { name: 'vue', upstream401Text: THROUGH_PROXY },
  { name: 'lit', upstream401Text: THROUGH_PROXY },
  {
    name: 'bring-your-own-key',
    upstream401Text: 'The API key was rejected',
    prepare: (page) => startByok(page),
  },
];

/**
 * Fills the bring-your-own-key form and starts the chat. The unsafe adapter talks to the offline model's
 * OpenAI-compatible endpoint instead of OpenAI: the visitor types that address, as the page takes it
 * from nowhere else.
 */
export async function startByok(page: Page, key = FAKE_KEY): Promise<void> {
  await page.getByLabel('OpenAI API key').fill(key);
  await page.getByLabel('API base URL').fill(new URL('/v1', page.url()).href);
  await page.getByRole('button', { name: 'Start chatting' }).click({ timeout: 5_000 });
}

/** Folders in examples/ that hold a page for the browser (server/ runs on Node). */
export function exampleFolders(): string[] {
  return readdirSync(`${repoRoot}examples`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'server')
    .map((entry) => entry.name)
    .sort();
}
