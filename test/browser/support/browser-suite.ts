// What every Chromium test file sets up the same way: one browser and one example server for the file,
// and a fresh browser context per test, closed after it so no cookie or storage leaks into the next.
import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { StartedServer } from '../../../scripts/start.mjs';
import { launchChromium } from './chromium';
import { startExampleServer } from './example-server';
import type { Example } from './examples';
import { type PageWatch, watchPage } from './page-watch';

/** A page in its own context, watched from before its first navigation. */
export interface WatchedPage {
  page: Page;
  watch: PageWatch;
}

/** The browser and server of one test file. */
export interface BrowserSuite {
  /** The example server's origin, e.g. `http://127.0.0.1:41234` (set once the file's hooks ran). */
  readonly url: string;
  /** A page in a fresh context; the context closes after the test. */
  newPage(options?: BrowserContextOptions): Promise<WatchedPage>;
  /** `newPage`, then the example's page with its query; `response` carries the page's headers. */
  openExample(
    example: Example,
    options?: BrowserContextOptions,
  ): Promise<WatchedPage & { response: Response | null }>;
}

/** Registers the hooks that start and stop the file's browser and server; call it in the describe body. */
export function useBrowserSuite(): BrowserSuite {
  let browser: Browser | undefined;
  let server: StartedServer | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startExampleServer()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  const newPage = async (options?: BrowserContextOptions): Promise<WatchedPage> => {
    context = await browser!.newContext(options);
    // Under the 20 s test timeout, so a step that never happens fails naming itself instead of the test
    // timing out silently; steps that may legitimately take longer pass their own timeout.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    return { page, watch: await watchPage(page) };
  };
  return {
    get url() {
      return server!.url;
    },
    newPage,
    async openExample(example, options) {
      const opened = await newPage(options);
      const response = await opened.page.goto(
        `${server!.url}/examples/${example.name}/${example.query ?? ''}`,
      );
      return { ...opened, response };
    },
  };
}
