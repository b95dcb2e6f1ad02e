// The headless example in Chromium, against `npm start`'s server and its offline model under the strict
// CSP: a reply streams into the page's own markup through `chatwire/conversation`, no chatwire UI code is
// requested, a stop keeps the partial, and a reload restores the conversation from sessionStorage.
// Screenshots (desktop and phone) go to test-results/screenshots/.
import type { Page, Request } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { unexpectedErrors } from './support/page-watch';
import { saveScreenshot } from './support/screenshots';

// Words only the chat UI's code contains: its builder, its composer's class and its stylesheet.
const UI_MARKERS = ['createAiChat', 'cw-composer', 'defineAiChatElement'];

describeInChromium('the headless example', () => {
  const suite = useBrowserSuite();

  async function open(viewport = { width: 1280, height: 800 }) {
    const { page, watch } = await suite.newPage({ viewport });
    const scripts: Request[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request);
    });
    // Every request the page made that failed.
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
    const response = await page.goto(`${suite.url}/examples/headless/`);
    await page.getByLabel('Your message').waitFor();
    return { page, watch, scripts, failed, csp: response?.headers()['content-security-policy'] ?? '' };
  }

  const replies = (page: Page) => page.locator('.message--assistant');

  async function ask(page: Page, text: string) {
    await page.getByLabel('Your message').fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  it('streams a reply into its own markup, loading no chatwire UI code', async () => {
    const { page, watch, scripts, failed, csp } = await open();
    expect(csp).toMatch(/^default-src 'self'/);
    // Every text the reply shows on its way, recorded in the page so no intermediate state is missed.
    await page.locator('#messages').evaluate((list) => {
      const seen: string[] = [];
      new MutationObserver(() => {
        const text = list.querySelector('.message--assistant .message-text')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(list, { subtree: true, childList: true, characterData: true });
      Object.defineProperty(window, '__replyTexts', { value: seen });
    });
    const sentence = 'Rendered by the page itself, one small piece at a time.';
    await ask(page, `/echo ${sentence}`);
    const reply = replies(page).first();
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 20_000 }).toBe('complete');
    expect(await reply.locator('.message-text').textContent()).toBe(sentence);
    const texts = await page.evaluate(() => (window as unknown as { __replyTexts: string[] }).__replyTexts);
    // Streamed: several growing prefixes before the whole sentence.
    expect(texts.length).toBeGreaterThan(3);
    for (const text of texts) expect(sentence.startsWith(text)).toBe(true);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Reply received.');

    const urls = scripts.map((request) => new URL(request.url()).pathname);
    expect(urls).toContain('/dist/conversation.js');
    expect(urls).not.toContain('/dist/index.js');
    for (const request of scripts) {
      const body = (await (await request.response())?.text()) ?? '';
      for (const marker of UI_MARKERS) expect(body, `${request.url()} has ${marker}`).not.toContain(marker);
    }
    expect(await page.locator('.chatwire, [data-role]').count()).toBe(0);
    expect(watch.errors).toEqual([]);
    expect(failed).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    await saveScreenshot(page, 'headless-desktop');
  }, 60_000);

  it('stops mid-reply keeping the partial, and a reload restores the conversation', async () => {
    const { page, watch } = await open({ width: 375, height: 740 });
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    await ask(page, `/echo ${long}`);
    const reply = replies(page).first();
    await expect
      .poll(async () => (await reply.locator('.message-text').textContent())?.length ?? 0, {
        timeout: 20_000,
        interval: 20,
      })
      .toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 10_000 }).toBe('stopped');
    const partial = (await reply.locator('.message-text').textContent())!;
    expect(partial.length).toBeLessThan(long.length);
    expect(long.startsWith(partial)).toBe(true);

    await ask(page, '/echo After the stop.');
    await expect
      .poll(() => replies(page).nth(1).getAttribute('data-status'), { timeout: 20_000 })
      .toBe('complete');
    await page.reload();
    await page.getByLabel('Your message').waitFor();
    const restored = await page
      .locator('.message')
      .evaluateAll((items) =>
        items.map((item) => [
          item.className.replace('message message--', ''),
          item.getAttribute('data-status'),
        ]),
      );
    expect(restored).toEqual([
      ['user', 'complete'],
      ['assistant', 'stopped'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(await replies(page).first().locator('.message-text').textContent()).toBe(partial);
    expect(await replies(page).nth(1).locator('.message-text').textContent()).toBe('After the stop.');
    expect(unexpectedErrors(watch)).toEqual([]);
    await saveScreenshot(page, 'headless-phone');
  }, 60_000);
});
