// The bring-your-own-key page as a person meets it (issues 15 and 11): the form refuses a key that cannot
// be one and a base URL that is not one, in plain words, before anything is sent; the key can be shown
// while typed; "Start chatting" lands in the composer, on screen on a phone; an invalid key offers
// "Change key"; and the API address never comes from the page's own URL.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { chatIn, textOf } from './support/chat-driver';
import { describeInChromium } from './support/chromium';
import { FAKE_KEY, startByok } from './support/examples';
import { unexpectedErrors } from './support/page-watch';
import { saveScreenshot } from './support/screenshots';

const PHONE = { viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

describeInChromium('bring-your-own-key form', () => {
  const suite = useBrowserSuite();

  async function open(device: typeof PHONE | typeof DESKTOP = DESKTOP, query = '') {
    const { page, watch } = await suite.newPage(device);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${suite.url}/examples/bring-your-own-key/${query}`);
    return { page, watch, requests };
  }

  const alert = (page: Page) => page.getByRole('alert');
  const keyField = (page: Page) => page.getByLabel('OpenAI API key');
  const start = (page: Page) => page.getByRole('button', { name: 'Start chatting' });

  describe('refuses, at the form, a key that cannot be an API key', () => {
    const cases: [string, string, RegExp][] = [
      ['only spaces', '     ', /empty or only spaces/],
      ['a space inside', 'sk-test abc123', /space/],
      ['a line break inside', 'sk-test\tabc123', /space or line break/],
      ['a curly quote', '“sk-test-abc123”', /character an API key never contains/],
      ['an ellipsis', 'sk-test-abc…', /character an API key never contains/],
    ];
    it.each(cases)('%s', async (_name, key, message) => {
      const { page, requests } = await open();
      await keyField(page).fill(key);
      await start(page).click();
      await expect.poll(() => textOf(alert(page))).toMatch(message);
      expect(await keyField(page).getAttribute('aria-invalid')).toBe('true');
      expect(await keyField(page).evaluate((field) => field === document.activeElement)).toBe(true);
      expect(await page.locator('#session').isVisible()).toBe(false);
      expect(await page.locator('textarea').count()).toBe(0);
      // Nothing left the page, and the message does not repeat what was typed.
      expect(requests.filter((url) => !/\.(css|js)$/.test(url) && !url.endsWith('/'))).toEqual([]);
      if (key.trim()) expect(await textOf(alert(page))).not.toContain(key.trim().slice(0, 6));
    });

    it('spaces around a pasted key are a copying accident: trimmed, and the chat starts', async () => {
      const { page } = await open();
      await page.getByLabel('API base URL').fill(`${suite.url}/v1`);
      await keyField(page).fill(`  ${FAKE_KEY}  `);
      await start(page).click();
      await chatIn(page).composer.waitFor();
      expect(await textOf(page.locator('#form-error'))).toBe('');
    });
  });

  it('says what is wrong with a base URL in words for a person', async () => {
    const { page } = await open();
    await keyField(page).fill(FAKE_KEY);
    const baseUrl = page.getByLabel('API base URL');
    await baseUrl.fill('api.openai.com/v1');
    await start(page).click();
    await expect
      .poll(() => textOf(alert(page)))
      .toBe('The API base URL must be a full web address, such as https://api.openai.com/v1.');
    expect(await baseUrl.getAttribute('aria-invalid')).toBe('true');
    await baseUrl.fill('ftp://files.example/v1');
    expect(await baseUrl.getAttribute('aria-invalid')).toBeNull();
    await start(page).click();
    await expect.poll(() => textOf(alert(page))).toMatch(/must start with https:\/\//);
    expect(await textOf(alert(page))).not.toMatch(/invalid-config|baseUrl/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'ux-byok-desktop-dark-base-url-error');
  });

  it('ignores ?baseUrl= in its own address: a crafted link cannot send the key elsewhere', async () => {
    const { page, requests } = await open(DESKTOP, '?baseUrl=https://attacker.example/v1');
    expect(await page.getByLabel('API base URL').inputValue()).toBe('https://api.openai.com/v1');
    await keyField(page).fill(FAKE_KEY);
    await start(page).click();
    await chatIn(page).composer.waitFor();
    expect(await page.locator('.cw-tagline').textContent()).toContain('https://api.openai.com/v1');
    expect(requests.filter((url) => new URL(url).hostname === 'attacker.example')).toEqual([]);
  });

  it('shows and hides the key on request, and hides it again once taken', async () => {
    const { page } = await open();
    const toggle = page.getByRole('button', { name: 'Show key' });
    await keyField(page).fill(FAKE_KEY);
    expect([await toggle.getAttribute('aria-pressed'), await keyField(page).getAttribute('type')]).toEqual([
      'false',
      'password',
    ]);
    await toggle.click();
    expect([await toggle.getAttribute('aria-pressed'), await keyField(page).getAttribute('type')]).toEqual([
      'true',
      'text',
    ]);
    // Shown is still only the field's value, never an attribute.
    expect(await page.evaluate((key) => document.documentElement.outerHTML.includes(key), FAKE_KEY)).toBe(
      false,
    );
    await toggle.click();
    expect(await keyField(page).getAttribute('type')).toBe('password');
    await toggle.click();
    await startByok(page);
    await page.getByRole('button', { name: 'Forget the key' }).click();
    expect([await toggle.getAttribute('aria-pressed'), await keyField(page).getAttribute('type')]).toEqual([
      'false',
      'password',
    ]);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`on a phone (${colorScheme}): "Start chatting" puts focus in the composer, on screen; controls are 44×44`, async () => {
      const { page, watch } = await open(PHONE);
      await page.emulateMedia({ colorScheme });
      for (const name of ['Show key', 'Start chatting']) {
        const box = (await page.getByRole('button', { name }).boundingBox())!;
        expect(Math.min(box.width, box.height), name).toBeGreaterThanOrEqual(44);
      }
      await saveScreenshot(page, `ux-byok-phone-${colorScheme}-form`);
      await startByok(page);
      const chat = chatIn(page);
      await chat.composer.waitFor();
      expect(await chat.composer.evaluate((t) => t === document.activeElement)).toBe(true);
      const inView = await chat.composer.evaluate((t) => {
        const r = t.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight;
      });
      expect(inView).toBe(true);
      const forget = (await page.getByRole('button', { name: 'Forget the key' }).boundingBox())!;
      expect(Math.min(forget.width, forget.height)).toBeGreaterThanOrEqual(44);
      await page.screenshot({ path: `test-results/screenshots/ux-byok-phone-${colorScheme}-chat.png` });
      expect(unexpectedErrors(watch)).toEqual([]);
    });
  }

  it('offers "Change key" when the API refuses the key, and it takes the visitor back to the form', async () => {
    const { page } = await open(PHONE);
    await page.getByLabel(/Remember the key/).check();
    await startByok(page);
    const chat = chatIn(page);
    const change = page.getByRole('button', { name: 'Change key' });
    expect(await change.isVisible()).toBe(false);
    const reply = await chat.ask('/echo fine so far');
    await chat.idle();
    await expect.poll(() => textOf(reply)).toContain('fine so far');
    expect(await change.isVisible()).toBe(false);

    await chat.ask('/error 401');
    await chat.idle();
    await change.waitFor();
    const box = (await change.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: 'test-results/screenshots/ux-byok-phone-light-change-key.png' });
    await change.tap();
    expect(await keyField(page).isVisible()).toBe(true);
    expect(await keyField(page).evaluate((field) => field === document.activeElement)).toBe(true);
    expect(await page.locator('textarea').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The address typed before is kept for the next key.
    expect(await page.getByLabel('API base URL').inputValue()).toBe(`${suite.url}/v1`);
  }, 30_000);
});
