// Screenshots the browser suite leaves in test-results/screenshots/ for a person to look at.
import type { Page } from 'playwright-core';
import { repoRoot } from './example-server';

const SCREENSHOTS = `${repoRoot}test-results/screenshots`;

/** The window the screenshots are taken in, so one example's light and dark shots line up. */
export const SCREENSHOT_VIEWPORT = { width: 960, height: 900 };

/** Saves the whole of `page` as test-results/screenshots/`name`.png (Playwright creates the folder). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
