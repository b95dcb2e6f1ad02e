// Every example page, in headless Chromium against `npm start`'s server and its offline model (which
// sends the page's strict Content-Security-Policy): it loads quietly, streams a markdown reply, stops
// mid-stream, explains an upstream error and recovers with Retry; and each framework example passes a
// prop change on to the chat it mounted. Screenshots go to test-results/screenshots/.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { type ChatDriver, chatIn, textOf } from './support/chat-driver';
import { describeInChromium } from './support/chromium';
import { chatUiFolders, EXAMPLES, type Example } from './support/examples';
import { type PageWatch, unexpectedErrors } from './support/page-watch';
import { SCREENSHOT_VIEWPORT, saveScreenshot } from './support/screenshots';

describeInChromium('every example in Chromium', () => {
  const suite = useBrowserSuite();

  /** A fresh context on the example, with its chat ready to type into. */
  async function open(
    example: Example,
  ): Promise<{ page: Page; watch: PageWatch; chat: ChatDriver; csp: string }> {
    const { page, watch, response } = await suite.openExample(example, { viewport: SCREENSHOT_VIEWPORT });
    const csp = response?.headers()['content-security-policy'] ?? '';
    await example.prepare?.(page);
    const chat = chatIn(page);
    await chat.composer.waitFor();
    return { page, watch, chat, csp };
  }

  it('tests every example folder', () => {
    expect(EXAMPLES.map((e) => e.name).sort()).toEqual(chatUiFolders());
  });

  it('opens the index page on a demo chat that answers, and links every example', async () => {
    const { page, watch } = await suite.newPage({ viewport: SCREENSHOT_VIEWPORT });
    const response = await page.goto(`${suite.url}/`);
    expect(response?.headers()['content-security-policy']).toMatch(/^default-src 'self'$/);
    await expect(page.locator('main').textContent()).resolves.toContain('the offline demo model');
    const chat = chatIn(page);
    await chat.composer.waitFor();
    const reply = await chat.ask('/echo Answered on the first page.');
    await chat.idle();
    await expect.poll(() => textOf(reply)).toContain('Answered on the first page.');
    const hrefs = await page
      .locator('a[href]')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    for (const example of EXAMPLES) expect(hrefs).toContain(`${suite.url}/examples/${example.name}/`);
    await saveScreenshot(page, 'index');
    // Quiet, the browser's own favicon request included.
    expect(watch.errors).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
  });

  // The glue each framework example adds: a prop or attribute change reaches the mounted chat through
  // updateProps, so the conversation survives it.
  const SWITCH_TO_DARK: Record<string, (page: Page) => Promise<void>> = {
    vue: async (page) => {
      await page.getByLabel('Theme').selectOption('dark');
    },
    lit: (page) => page.locator('chat-panel').evaluate((el) => el.setAttribute('color-scheme', 'dark')),
    'web-component': (page) =>
      page.locator('ai-chat').evaluate((el) => el.setAttribute('color-scheme', 'dark')),
  };

  describe.each(Object.keys(SWITCH_TO_DARK))('%s glue', (name) => {
    it('turns the chat dark in place when the page asks, keeping the conversation', async () => {
      const example = EXAMPLES.find((e) => e.name === name)!;
      const { page, chat } = await open(example);
      await page.emulateMedia({ colorScheme: 'light' });
      const reply = await chat.ask('/echo Still here after the switch.');
      await chat.idle();
      // Relative luminance of the log's background, 0 (black) to 1 (white).
      const luminance = () =>
        chat.log.evaluate((log) => {
          const [r, g, b] = getComputedStyle(log.closest('[data-color-scheme]') ?? log)
            .backgroundColor.match(/[\d.]+/g)!
            .map(Number);
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        });
      expect(await luminance()).toBeGreaterThan(0.8);
      await SWITCH_TO_DARK[name](page);
      await expect.poll(luminance).toBeLessThan(0.2);
      expect(await textOf(reply)).toContain('Still here after the switch.');
      await expect(chat.assistant.count()).resolves.toBe(1);
    });
  });

  describe.each(EXAMPLES)('$name', (example) => {
    it('loads with no console error and no CSP violation', async () => {
      const { page, watch, chat, csp } = await open(example);
      // The policy is really there, and strict: nothing inline except an import map allowed by its hash.
      expect(csp).toMatch(/^default-src 'self'(; |$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      await expect(chat.log.count()).resolves.toBe(1);
      await expect(chat.send.isVisible()).resolves.toBe(true);
      await page.waitForLoadState('networkidle');
      expect(watch.errors).toEqual([]);
      expect(await watch.cspViolations()).toEqual([]);
    });

    it('streams the demo reply and renders it as markdown', async () => {
      const { page, watch, chat } = await open(example);
      // The button's every label, recorded in the page: the demo reply streams for about two seconds,
      // which a loaded machine can spend before a poll from here would see Stop.
      const button = await chat.send.elementHandle({ timeout: 5_000 });
      await button!.evaluate((node) => {
        const labels = [node.textContent];
        new MutationObserver(() => labels.push(node.textContent)).observe(node, {
          childList: true,
          characterData: true,
          subtree: true,
        });
        Object.defineProperty(node, 'seenLabels', { value: labels });
      });
      const reply = await chat.ask('Show me what you can render.');
      await chat.idle(30_000);
      // Stop showed while the reply streamed, then turned back into Send.
      const labels = await button!.evaluate(
        (node) => (node as unknown as { seenLabels: string[] }).seenLabels,
      );
      expect(labels).toContain('Stop');
      expect(labels.at(-1)).toBe('Send');
      const found = await reply.evaluate((node) => ({
        code: node.querySelectorAll('pre code').length,
        items: node.querySelectorAll('li').length,
        links: [...node.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
        strong: node.querySelectorAll('strong, h1, h2, h3').length,
        raw: /```|\*\*/.test(node.textContent ?? ''),
      }));
      expect(found.code).toBeGreaterThan(0);
      expect(found.items).toBeGreaterThan(0);
      expect(found.links.length).toBeGreaterThan(0);
      expect(found.links.every((href) => /^https?:/.test(href ?? ''))).toBe(true);
      expect(found.strong).toBeGreaterThan(0);
      expect(found.raw).toBe(false);
      await saveScreenshot(page, example.name);
      expect(watch.errors).toEqual([]);
      expect(await watch.cspViolations()).toEqual([]);
    }, 45_000);

    it('sends with Enter from the keyboard and keeps the focus in the composer', async () => {
      const { page, chat } = await open(example);
      await chat.composer.focus();
      await page.keyboard.type('/echo Typed, never clicked.');
      await page.keyboard.press('Enter');
      await chat.assistant.first().waitFor();
      await chat.idle();
      await expect.poll(() => textOf(chat.assistant.first())).toContain('Typed, never clicked.');
      expect(
        await chat.composer.evaluate(
          (el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement,
        ),
      ).toBe(true);
      expect(await chat.composer.inputValue()).toBe('');
    });

    it('stops mid-stream: the partial reply stays and Stop turns back into Send', async () => {
      const { watch, chat } = await open(example);
      // An echo of 300 words streams for several seconds, so Stop is still there on a slow machine.
      const long = `${Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ')} THE-END`;
      const reply = await chat.ask(`/echo ${long}`);
      await expect
        .poll(async () => (await textOf(reply.locator('.cw-content'))).trim().length, { timeout: 10_000 })
        .toBeGreaterThan(0);
      // A fresh Stop ignores clicks for 500 ms (a double-click on Send must not stop the reply).
      await new Promise((resolve) => setTimeout(resolve, 600));
      await chat.stop.click({ timeout: 5_000 });
      await chat.idle(5_000);
      const partial = (await textOf(reply)).trim();
      expect(partial.length).toBeGreaterThan(0);
      // Stopped before the end: the echo's last word never came.
      expect(partial).not.toContain('THE-END');
      // Nothing more arrives after the stop.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await textOf(reply)).trim()).toBe(partial);
      await expect(chat.retry.count()).resolves.toBe(0);
      expect(unexpectedErrors(watch)).toEqual([]);
    }, 30_000);

    it('explains an upstream 401 in the words that fit who holds the key, with Retry only where it can help', async () => {
      const { watch, chat } = await open(example);
      const reply = await chat.ask('/error 401');
      await chat.idle();
      await expect.poll(() => textOf(reply)).toContain(example.upstream401Text);
      await expect(chat.retry.count()).resolves.toBe(example.upstream401Retry ? 1 : 0);
      expect(unexpectedErrors(watch)).toEqual([]);
      expect(await watch.cspViolations()).toEqual([]);
    });

    it('says the quota is used up when the provider answers 429 insufficient_quota', async () => {
      const { watch, chat } = await open(example);
      const reply = await chat.ask('/error quota');
      await chat.idle();
      await expect.poll(() => textOf(reply)).toContain('The usage quota is used up');
      expect(unexpectedErrors(watch)).toEqual([]);
    });

    it('keeps the partial text of a dropped stream and recovers with Retry', async () => {
      const { page, watch, chat } = await open(example);
      // The offline model drops the first /flaky stream of a text halfway and sends it whole afterwards;
      // the text is unique per example so each test gets its own first time.
      const text = `Flaky reply for the ${example.name} example arrives whole on the second try.`;
      const reply = await chat.ask(`/flaky ${text}`);
      await chat.idle();
      await expect.poll(() => textOf(reply)).toContain('Connection lost');
      expect(await textOf(reply)).toContain(text.slice(0, 10));
      await saveScreenshot(page, `${example.name}-error`);
      await chat.retry.click({ timeout: 5_000 });
      await chat.idle();
      const last = chat.assistant.last();
      await expect.poll(() => textOf(last)).toContain(text);
      await expect(chat.retry.count()).resolves.toBe(0);
      expect(unexpectedErrors(watch)).toEqual([]);
    });
  });
});
