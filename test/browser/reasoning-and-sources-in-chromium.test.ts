// The reasoning disclosure and the sources list (issue 10) in real Chromium, inside a real chat with the
// default theme: keyboard and pointer toggle the disclosure, its summary stays out of what the live region
// reads, motion stops under prefers-reduced-motion, targets are 44 px on a phone, and axe (WCAG 2.1 A/AA
// and best practices) finds nothing in light or dark. Screenshots: test-results/screenshots/ux-reasoning-*.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInChromium, launchChromium } from './support/chromium';
import { repoRoot } from './support/example-server';
import type { Harness } from './support/view-harness';

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true };
const AXE = `${repoRoot}node_modules/axe-core/axe.min.js`;

const SUMMARY = [
  '**Reading the question.** The reader wants the capital of Australia.',
  '',
  'Canberra, not Sydney: the compromise between Sydney and Melbourne, chosen in 1908.',
].join('\n');

declare global {
  interface Window {
    harness: Harness;
    axe: {
      run(context: Document, options: object): Promise<{ violations: { id: string; nodes: unknown[] }[] }>;
    };
  }
}

describeInChromium('reasoning and sources in Chromium', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    const [launched, bundle] = await Promise.all([
      launchChromium(),
      build({
        entryPoints: [fileURLToPath(new URL('./support/view-harness.ts', import.meta.url))],
        bundle: true,
        write: false,
        format: 'iife',
        target: 'es2022',
      }),
    ]);
    browser = launched;
    script = bundle.outputFiles[0]!.text;
  });
  afterAll(() => browser?.close());

  async function open(device: BrowserContextOptions): Promise<Page> {
    const context = await browser.newContext(device);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.setContent(
      '<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">' +
        '<title>Reasoning</title></head><body><main><h1>Reasoning and sources</h1><div id="chat"></div></main></body></html>',
    );
    await page.addStyleTag({
      content: ':root{color-scheme:light dark}body{margin:0}main{padding:16px}#chat{height:600px}',
    });
    await page.addScriptTag({ content: script });
    await page.addScriptTag({ path: AXE });
    await page.evaluate(() => window.harness.mount('auto'));
    return page;
  }

  /** A reply that reasoned, then answered with two sources (and one unsafe one that must not show). */
  async function reasonedReply(page: Page) {
    await page.evaluate((summary) => {
      window.harness.send('What is the capital of Australia?');
      for (const piece of summary.match(/[\s\S]{1,12}/g)!) window.harness.reason(piece);
    }, SUMMARY);
  }

  async function answer(page: Page) {
    await page.evaluate(() => {
      window.harness.finishReasoning(3.2);
      window.harness.text('The capital of Australia is **Canberra**.');
      window.harness.complete([
        { url: 'https://en.wikipedia.org/wiki/Canberra', title: 'Canberra — Wikipedia' },
        { url: 'javascript:alert(document.domain)', title: 'Click me' },
        { url: 'https://www.australia.gov.au/', title: 'australia.gov.au' },
      ]);
    });
  }

  const violations = (page: Page) =>
    page.evaluate(async () => {
      const result = await window.axe.run(document, {});
      return result.violations.map(
        (v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown }).target))}`,
      );
    });

  it('"Thinking…" while the summary streams, then "Thought for 3 s", collapsed; a real button toggles it', async () => {
    const page = await open(DESKTOP);
    await reasonedReply(page);
    const toggle = page.getByRole('button', { name: 'Thinking…' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByText('Reading the question.').isVisible()).toBe(false);
    await answer(page);
    const done = page.getByRole('button', { name: 'Thought for 3 s' });
    expect(await done.getAttribute('aria-expanded')).toBe('false');

    // Keyboard: Tab reaches it, Enter and Space toggle it.
    await done.focus();
    await page.keyboard.press('Enter');
    expect(await done.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByText('Reading the question.').isVisible()).toBe(true);
    expect(await page.locator('.cw-reasoning-panel strong').textContent()).toBe('Reading the question.');
    await page.keyboard.press('Space');
    expect(await done.getAttribute('aria-expanded')).toBe('false');
    await done.click();
    expect(await done.getAttribute('aria-expanded')).toBe('true');
    // aria-controls names the panel it opens.
    const controls = await done.getAttribute('aria-controls');
    expect(await page.locator(`#${controls}`).isVisible()).toBe(true);
  });

  it('the live region reads the reply, not the reasoning, and sits above the text', async () => {
    const page = await open(DESKTOP);
    await reasonedReply(page);
    await answer(page);
    const spoken = await page.getByRole('status').textContent();
    expect(spoken).toContain('The capital of Australia is Canberra.');
    expect(spoken).not.toContain('Reading the question');
    expect(spoken).not.toContain('Thought for');
    const order = await page.evaluate(() =>
      [...document.querySelector('[data-role="assistant"] .cw-bubble')!.children].map((c) => c.className),
    );
    // The view's own slots (`cw-before`, `cw-after`: notes and actions) may sit around these.
    expect(order.filter((name) => !['cw-before', 'cw-after'].includes(name))).toEqual([
      'cw-name',
      'cw-reasoning',
      'cw-content',
      'cw-sources',
    ]);
  });

  it('lists the safe sources as links, and the unsafe one not at all', async () => {
    const page = await open(DESKTOP);
    await reasonedReply(page);
    await answer(page);
    const list = page.getByRole('list', { name: 'Sources' });
    const links = await list
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]));
    expect(links).toEqual([
      ['Canberra — Wikipedia', 'https://en.wikipedia.org/wiki/Canberra', 'noopener noreferrer'],
      ['australia.gov.au', 'https://www.australia.gov.au/', 'noopener noreferrer'],
    ]);
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await page.getByText('Click me').count()).toBe(0);
  });

  it('pulses while thinking, and stops every animation under prefers-reduced-motion', async () => {
    const page = await open(DESKTOP);
    await reasonedReply(page);
    const dots = await page.evaluate(() => window.harness.typing().className);
    expect(dots).toBe('cw-typing');
    const animations = () =>
      page.evaluate(() => ({
        toggle: getComputedStyle(document.querySelector('.cw-reasoning-toggle')!, '::before').animationName,
        dot: getComputedStyle(document.querySelector('.cw-typing span')!).animationName,
      }));
    expect(await animations()).toEqual({ toggle: 'cw-pulse', dot: 'cw-typing' });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await animations()).toEqual({ toggle: 'none', dot: 'none' });
  });

  for (const [label, device] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`axe finds nothing in light or dark, thinking, collapsed and open (${label})`, async () => {
      const page = await open(device);
      await reasonedReply(page);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        expect(await violations(page), `thinking, ${colorScheme}`).toEqual([]);
      }
      await answer(page);
      const toggle = page.getByRole('button', { name: 'Thought for 3 s' });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        expect(await violations(page), `collapsed, ${colorScheme}`).toEqual([]);
        await toggle.click();
        expect(await violations(page), `open, ${colorScheme}`).toEqual([]);
        await page.screenshot({
          path: `${repoRoot}test-results/screenshots/ux-reasoning-${label}-${colorScheme}.png`,
        });
        await toggle.click();
      }
      if (device === PHONE) {
        const box = (await toggle.boundingBox())!;
        expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
      }
    }, 60_000);
  }
});
