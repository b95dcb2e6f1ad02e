// Records everything a page complains about, so a test can assert the page stayed quiet.
import type { Page } from 'playwright-core';

/** What a page reported while a test drove it. */
export interface PageWatch {
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Content-Security-Policy violations: `securitypolicyviolation` events plus Chrome's console reports. */
  cspViolations(): Promise<string[]>;
}

// Registered before any page script runs; CDP-injected, so the page's CSP does not apply to it.
// `securitypolicyviolation` is composed, so violations inside shadow roots reach the document too.
const RECORD_CSP_VIOLATIONS = () => {
  const seen: string[] = [];
  Object.defineProperty(window, '__cspViolations', { value: seen });
  document.addEventListener(
    'securitypolicyviolation',
    (event) =>
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile})`),
    true,
  );
};

/** Starts recording before the page's first navigation. */
export async function watchPage(page: Page): Promise<PageWatch> {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  await page.addInitScript(RECORD_CSP_VIOLATIONS);
  return {
    errors,
    async cspViolations() {
      const fromEvents = await page.evaluate(
        () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
      );
      const fromConsole = errors.filter((e) => /Content Security Policy/i.test(e));
      return [...fromEvents, ...fromConsole];
    },
  };
}

/**
 * Errors other than the browser's own report of a failed HTTP status: a test that forces a 401 or a
 * dropped stream expects Chrome to log "Failed to load resource", and nothing else.
 */
export function unexpectedErrors(watch: PageWatch): string[] {
  return watch.errors.filter((e) => !/^console: Failed to load resource: /.test(e));
}
