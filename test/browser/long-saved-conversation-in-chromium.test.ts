// A long saved conversation in Chromium (issue 13): it opens at its newest message, rendered; older
// replies wait as plain text that the browser's find-in-page reaches, render as markdown when scrolled
// near, and a selection inside one that has not rendered yet is left alone.
import { expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';

const reply = (i: number) =>
  `## Answer ${i}\n\nThe unique word is zqx${i}q, with **bold** text.\n\n| a | b |\n|---|---|\n| ${i} | ${i * 2} |\n\n${'Filler sentence for height. '.repeat(40)}`;

describeInChromium('a long saved conversation in Chromium', () => {
  const suite = useBrowserSuite();

  it('opens at its newest reply; find reaches the oldest; older replies render near the viewport; a selection stays', async () => {
    const { page } = await suite.newPage({ viewport: { width: 900, height: 700 }, bypassCSP: true });
    await page.goto(`${suite.url}/examples/esm/`);
    const items = Array.from({ length: 200 }, (_, i) =>
      i % 2
        ? { role: 'assistant', message: reply((i - 1) / 2) }
        : { role: 'user', message: `Question ${i / 2}` },
    );
    // A string, not a function: the test runner would rewrite a function's `import()` for Node.
    await page.evaluate(`(async () => {
      const m = await import('/dist/index.js');
      document.body.replaceChildren();
      const host = document.createElement('main');
      host.style.height = '600px';
      document.body.append(host);
      window.chat = m.createAiChat()
        .withAdapter(m.createChatAdapter().withUrl('/api/chat').withApi('chat-completions'))
        .withInitialConversation(${JSON.stringify(items)})
        .mount(host);
    })()`);
    const log = page.getByRole('log');
    const articles = page.locator('.cw-log > article');
    await expect.poll(() => articles.count()).toBe(200);
    // At its newest message, rendered as markdown.
    expect(await log.evaluate((n) => n.scrollHeight - n.scrollTop - n.clientHeight)).toBeLessThan(30);
    expect(await articles.last().locator('table').count()).toBe(1);
    // The oldest reply is its article holding plain text until scrolled to, and find-in-page reaches it.
    const oldest = articles.nth(1);
    expect(await oldest.locator('.cw-bubble').count()).toBe(0);
    expect(await oldest.getAttribute('class')).toContain('cw-pending');
    // It is still named after who said it, and renamed with the persona.
    expect(await oldest.getAttribute('aria-label')).toBe('Assistant');
    await page.evaluate(`window.chat.updateProps({ personaOptions: { assistant: { name: 'Robo' } } })`);
    expect(await oldest.getAttribute('aria-label')).toBe('Robo');
    expect(await page.evaluate(() => (window as unknown as { find(s: string): boolean }).find('zqx0q'))).toBe(
      true,
    );
    // find selected the word inside the pending reply: it stays plain text, and the selection stays.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => String(getSelection()))).toBe('zqx0q');
    expect(await oldest.getAttribute('class')).toContain('cw-pending');
    // Once the selection is gone, a reply that comes near the viewport renders, with its buttons.
    await page.evaluate(() => getSelection()?.removeAllRanges());
    const middle = articles.nth(101);
    expect(await middle.getAttribute('class')).toContain('cw-pending');
    await middle.evaluate((n) => n.scrollIntoView());
    await expect.poll(() => middle.locator('table').count()).toBe(1);
    expect(await middle.getByRole('button', { name: 'Copy', exact: true }).count()).toBe(1);
    expect(await middle.locator('.cw-content').textContent()).toContain('zqx50q');
  }, 60_000);
});
