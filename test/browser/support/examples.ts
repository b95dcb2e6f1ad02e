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
   * key failing, which the proxy reports as a 502 `upstream_auth_failed` (the browser has no key to fix,
   * and trying again cannot help, so there is no Retry); with the visitor's own key it is their key.
   */
  upstream401Text: string;
  /** Whether that reply offers Retry. */
  upstream401Retry: boolean;
}

const THROUGH_PROXY = { upstream401Text: "The server's API key was refused", upstream401Retry: false };

/** Every browser example: all folders in examples/ except the server-side one. */
export const EXAMPLES: Example[] = [
  { name: 'cdn', ...THROUGH_PROXY },
  { name: 'esm', ...THROUGH_PROXY },
  { name: 'web-component', ...THROUGH_PROXY },
  { name: 'vue', ...THROUGH_PROXY },
  { name: 'lit', ...THROUGH_PROXY },
  {
    name: 'bring-your-own-key',
    upstream401Text: 'The API key was rejected',
    upstream401Retry: true,
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

/** Example pages that draw a conversation with their own markup instead of the chat UI (own tests). */
export const PAGES_WITHOUT_CHAT_UI = ['headless'];

/** The example folders whose page mounts the chat UI: what `EXAMPLES` must list. */
export const chatUiFolders = (): string[] =>
  exampleFolders().filter((name) => !PAGES_WITHOUT_CHAT_UI.includes(name));
