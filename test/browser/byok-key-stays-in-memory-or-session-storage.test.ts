// The bring-your-own-key example keeps the pasted key where it says: in memory, or in sessionStorage
// when the visitor asks. It never reaches the DOM, the URL, localStorage, cookies or the console, and
// it is sent only to the API base URL.
//
// The password field is where the visitor types the key, so its value holds the key while they type;
// the page empties it the moment the key is taken, so once the chat runs no field holds it either.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { chatIn, textOf } from './support/chat-driver';
import { describeInChromium } from './support/chromium';
import { FAKE_KEY, startByok } from './support/examples';
import { unexpectedErrors } from './support/page-watch';

interface Sighting {
  /** Where the key was seen. */
  where: string;
}

describeInChromium('bring-your-own-key example', () => {
  const suite = useBrowserSuite();

  /** Opens the example with a recorder of every request and console line that mentions the key. */
  async function open() {
    const { page, watch } = await suite.newPage();
    const keyRequests: string[] = [];
    const console: string[] = [];
    page.on('request', (request) => {
      const seen = [request.url(), JSON.stringify(request.headers()), request.postData() ?? ''].join('\n');
      if (seen.includes(FAKE_KEY)) keyRequests.push(request.url());
    });
    page.on('console', (message) => console.push(message.text()));
    await page.goto(`${suite.url}/examples/bring-your-own-key/`);
    return { page, watch, keyRequests, console };
  }

  async function startChat(page: Page, remember: boolean) {
    if (remember) await page.getByLabel(/Remember the key/).check();
    await startByok(page);
    await chatIn(page).composer.waitFor();
  }

  /** Every place other than memory and sessionStorage where the key could end up. */
  async function sightings(page: Page): Promise<Sighting[]> {
    const found: Sighting[] = [];
    if (page.url().includes(FAKE_KEY)) found.push({ where: 'URL' });
    const inPage = await page.evaluate((key) => {
      const where: string[] = [];
      if (document.documentElement.outerHTML.includes(key)) where.push('DOM (outerHTML)');
      if (document.title.includes(key)) where.push('title');
      for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
        'input, textarea',
      )) {
        if (field.value.includes(key)) where.push(`value of #${field.id || field.localName}`);
      }
      for (let i = 0; i < localStorage.length; i++) {
        const name = localStorage.key(i) ?? '';
        if (`${name}${localStorage.getItem(name)}`.includes(key)) where.push(`localStorage ${name}`);
      }
      if (document.cookie.includes(key)) where.push('document.cookie');
      if (history.state !== null && JSON.stringify(history.state).includes(key)) where.push('history.state');
      return where;
    }, FAKE_KEY);
    found.push(...inPage.map((where) => ({ where })));
    for (const cookie of await page.context().cookies()) {
      if (`${cookie.name}${cookie.value}`.includes(FAKE_KEY)) found.push({ where: `cookie ${cookie.name}` });
    }
    return found;
  }

  const sessionHasKey = (page: Page) =>
    page.evaluate((key) => Object.values(sessionStorage).some((v) => String(v).includes(key)), FAKE_KEY);

  it('states the risk before asking for a key', async () => {
    const { page } = await open();
    const warning = (await textOf(page.getByRole('region', { name: /before pasting a key/i }))).replace(
      /\s+/g,
      ' ',
    );
    expect(warning).toMatch(/could read it/);
    expect(warning).toMatch(/sessionStorage/);
    expect(warning).toMatch(/never written to localStorage or cookies/);
    const field = page.getByLabel('OpenAI API key');
    expect(await field.getAttribute('type')).toBe('password');
    // While typed, the key is the field's value (a property) and nothing else: not an attribute.
    await field.fill(FAKE_KEY);
    expect(await page.evaluate((key) => document.documentElement.outerHTML.includes(key), FAKE_KEY)).toBe(
      false,
    );
  });

  it('chats with the key in memory only and sends it to the API base URL alone', async () => {
    const { page, watch, keyRequests, console } = await open();
    await startChat(page, false);
    const chat = chatIn(page);
    const reply = await chat.ask('/echo The key stays in this tab.');
    await chat.idle();
    await expect.poll(() => textOf(reply)).toContain('The key stays in this tab.');

    expect(await sightings(page)).toEqual([]);
    expect(await sessionHasKey(page)).toBe(false);
    expect(keyRequests.length).toBeGreaterThan(0);
    expect(new Set(keyRequests)).toEqual(new Set([`${suite.url}/v1/chat/completions`]));
    expect(console.filter((line) => line.includes(FAKE_KEY))).toEqual([]);
    expect(unexpectedErrors(watch)).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
  });

  it('keeps the key out of the page when the API rejects it', async () => {
    const { page, keyRequests, console } = await open();
    await startChat(page, false);
    const chat = chatIn(page);
    const reply = await chat.ask('/error 401');
    await chat.idle();
    await expect.poll(() => textOf(reply)).toContain('The API key was rejected');
    expect(await sightings(page)).toEqual([]);
    expect(new Set(keyRequests)).toEqual(new Set([`${suite.url}/v1/chat/completions`]));
    expect(console.filter((line) => line.includes(FAKE_KEY))).toEqual([]);
  });

  it('remembers the key in sessionStorage only when asked, survives a reload, and forgets it', async () => {
    const { page } = await open();
    await startChat(page, true);
    expect(await sessionHasKey(page)).toBe(true);
    expect(await sightings(page)).toEqual([]);

    await page.reload();
    const chat = chatIn(page);
    await chat.composer.waitFor();
    expect(await page.getByLabel('OpenAI API key').isVisible()).toBe(false);
    const reply = await chat.ask('/echo Still here after a reload.');
    await chat.idle();
    await expect.poll(() => textOf(reply)).toContain('Still here after a reload.');
    expect(await sightings(page)).toEqual([]);

    await page.getByRole('button', { name: 'Forget the key' }).click({ timeout: 5_000 });
    expect(await sessionHasKey(page)).toBe(false);
    expect(await page.getByLabel('OpenAI API key').isVisible()).toBe(true);
    await expect(chat.composer.count()).resolves.toBe(0);
  });
});
