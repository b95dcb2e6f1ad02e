// One place that decides how the browser suite gets its Chromium: Debian's /usr/bin/chromium, or,
// when it is missing, a loud skip on a developer machine and a failure under CI.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-launch.mjs';

/** Starts the one Chromium a test file uses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/**
 * `describe` for tests that need Chromium. Without the browser the suite fails under CI (so a broken
 * CI image cannot pass by skipping) and is skipped with a warning elsewhere.
 */
export function describeInChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
  } else if (process.env.CI && !['0', 'false'].includes(process.env.CI)) {
    describe(name, () => {
      it(`needs Chromium at ${CHROMIUM_PATH} (CI is set, so this fails instead of skipping)`, () => {
        throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (see .ci/run)`);
      });
    });
  } else {
    console.warn(
      `\n${'!'.repeat(72)}\n!! SKIPPED "${name}": no Chromium at ${CHROMIUM_PATH}.\n` +
        `!! Install it (apt-get install chromium) to run the browser suite; with CI=true this fails.\n${'!'.repeat(72)}\n`,
    );
    describe.skip(name, body);
  }
}
