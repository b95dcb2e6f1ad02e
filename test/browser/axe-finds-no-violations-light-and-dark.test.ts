// axe-core finds no accessibility violation in any example, with the system in light and in dark mode,
// before and after a reply. axe is loaded from the server's /vendor/ as a same-origin script, so the
// pages keep their real CSP (page.addScriptTag({ path }) would inject an inline script, which
// `default-src 'self'` refuses).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { chatIn, textOf } from './support/chat-driver';
import { describeInChromium } from './support/chromium';
import { EXAMPLES } from './support/examples';
import { SCREENSHOT_VIEWPORT, saveScreenshot } from './support/screenshots';

const SCHEMES = ['light', 'dark'] as const;

interface AxeNode {
  target: unknown[];
  element?: Element;
}
interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: AxeNode[] }[];
}

/**
 * axe's violations on the whole page, one readable line each (rule, impact, elements). Every rule runs,
 * best practices included, with one exception: `heading-order` inside an assistant message. Those
 * headings are whatever level the model wrote (the demo reply opens with `###`), so their order says
 * nothing about the page; the page's own headings are still checked.
 */
async function violations(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { elementRef: true });
    const modelWritten = (rule: string, node: AxeNode) =>
      rule === 'heading-order' && node.element?.closest('[data-role="assistant"]');
    return results.violations
      .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !modelWritten(v.id, n)) }))
      .filter((v) => v.nodes.length > 0)
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
      );
  });
}

async function violationsPerScheme(page: Page): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    found[colorScheme] = await violations(page);
  }
  return found;
}

describeInChromium('accessibility of every example (axe-core)', () => {
  const suite = useBrowserSuite();

  describe.each(EXAMPLES)('$name', (example) => {
    it('has no violation in light or dark, before and after a reply', async () => {
      const { page, watch } = await suite.openExample(example, { viewport: SCREENSHOT_VIEWPORT });
      await page.addScriptTag({ url: '/vendor/axe-core/axe.min.js' });
      if (example.prepare) {
        expect(await violationsPerScheme(page), 'the page before the chat').toEqual({ light: [], dark: [] });
        await example.prepare(page);
      }
      const chat = chatIn(page);
      await chat.composer.waitFor();
      expect(await violationsPerScheme(page), 'before a reply').toEqual({ light: [], dark: [] });

      const reply = await chat.ask('Show me what you can render.');
      await chat.idle(30_000);
      await expect.poll(async () => (await textOf(reply)).length).toBeGreaterThan(0);
      expect(await violationsPerScheme(page), 'after a reply').toEqual({ light: [], dark: [] });
      // emulateMedia left the page dark: this is the dark twin of the suite's light screenshot.
      await saveScreenshot(page, `${example.name}-dark`);
      expect(await watch.cspViolations()).toEqual([]);
    }, 60_000);
  });
});
