// The chat view as a person uses it, in Chromium on a 375×740 touch phone and at 1280×800: stopped and
// failed replies, Escape, focus, Jump to latest, every message action, a saved conversation surviving a
// reload, and axe on a reply with a long code line, a wide table and an error. The chat is mounted
// from /dist/index.js on a page of the example server, talking to its offline model.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { saveScreenshot } from './support/screenshots';

const PHONE = { viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true, bypassCSP: true };
const DESKTOP = { viewport: { width: 1280, height: 800 }, bypassCSP: true };

const LONG_LINE = `const x = "${'a'.repeat(300)}";`;
const WIDE_TABLE = `| ${Array.from({ length: 8 }, (_, i) => `Column ${i}`).join(' | ')} |\n|${'---|'.repeat(8)}\n| ${Array.from({ length: 8 }, (_, i) => `value ${i} with words`).join(' | ')} |`;
const RICH = `/echo Here is code:\n\n\`\`\`js\n${LONG_LINE}\n\`\`\`\n\nAnd a table:\n\n${WIDE_TABLE}\n\nDone.`;

/** Opens a blank page of the example server and mounts a chat there (sessionStorage-backed when `saved`). */
async function mountChat(page: Page, url: string, saved = false) {
  await page.goto(`${url}/examples/esm/`);
  // A string, not a function: the test runner would rewrite a function's `import()` for Node.
  await page.evaluate(`(async () => {
    const m = await import('/dist/index.js');
    document.body.replaceChildren();
    document.body.style.margin = '0';
    const host = document.createElement('main');
    host.style.height = '100dvh';
    host.style.display = 'block';
    document.body.append(host);
    window.feedback = [];
    let builder = m
      .createAiChat()
      .withAdapter(m.createChatAdapter().withUrl('/api/chat').withApi('chat-completions'))
      .withMessageOptions({ actions: { feedback: true } })
      .on('feedback', (f) => window.feedback.push(f));
    if (${saved}) builder = builder.withConversationStore(m.webStorageStore(sessionStorage, 'view-test'));
    window.chat = builder.mount(host);
  })()`);
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ url: '/vendor/axe-core/axe.min.js' });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            c: Document,
            o: object,
          ): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const results = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return results.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
  });
}

const ask = async (page: Page, text: string) => {
  await page.locator('.cw-composer textarea').fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
};
const idle = (page: Page) =>
  page.getByRole('button', { name: 'Send', exact: true }).waitFor({ timeout: 20_000 });

describeInChromium('the chat view in Chromium', () => {
  const suite = useBrowserSuite();

  describe.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const)('%s', (name, options) => {
    it('every action, a long code line, a wide table and an error: axe finds nothing; the error is in view', async () => {
      const { page } = await suite.newPage(options);
      await mountChat(page, suite.url);
      await ask(page, RICH);
      await idle(page);
      await ask(page, '/error 500');
      await idle(page);
      const error = page.locator('.cw-error').last();
      await error.waitFor();
      // A failed reply scrolls into view, and no empty bubble sits above its error.
      await expect
        .poll(() =>
          error.evaluate((node) => {
            const log = node.closest('[role="log"]')!.getBoundingClientRect();
            const box = node.getBoundingClientRect();
            return box.top >= log.top - 1 && box.bottom <= log.bottom + 1;
          }),
        )
        .toBe(true);
      const failed = page.locator('[data-role="assistant"]').last();
      expect(await failed.locator('.cw-content').isVisible()).toBe(false);
      // Every action is on screen for the finished reply.
      const reply = page.locator('[data-role="assistant"]').first();
      for (const label of ['Copy', 'Good reply', 'Bad reply']) {
        expect(await reply.getByRole('button', { name: label, exact: true }).count()).toBe(1);
      }
      expect(await page.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(2);
      expect(await page.getByRole('article', { name: 'Assistant' }).count()).toBe(2);
      await saveScreenshot(page, `chat-view-${name}-actions-and-error`);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        expect(await axeViolations(page), scheme).toEqual([]);
      }
      await saveScreenshot(page, `chat-view-${name}-dark`);
    }, 60_000);
  });

  it('phone: Escape from the log stops the reply, which says Stopped; focus never falls to <body>', async () => {
    const { page } = await suite.newPage(PHONE);
    await mountChat(page, suite.url);
    await ask(page, `/echo ${'word '.repeat(1500)}`);
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await page.locator('[data-role="assistant"] .cw-content p').waitFor();
    await page.getByRole('log').focus();
    await page.keyboard.press('Escape');
    await page.locator('.cw-stopped').waitFor();
    expect(await page.locator('.cw-stopped').textContent()).toBe('StoppedContinueRegenerate');
    expect(await stop.count()).toBe(0);
    // A reply that ends while Stop has focus: focus stays in the composer.
    await ask(page, `/echo ${'more '.repeat(40)}`);
    await stop.focus();
    await idle(page);
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');
    await saveScreenshot(page, 'chat-view-phone-stopped');
  }, 60_000);

  it('phone: before the first word a typing indicator shows; scrolling up shows Jump to latest', async () => {
    const { page } = await suite.newPage(PHONE);
    await mountChat(page, suite.url);
    // The answer waits a second, so the indicator has time to be seen.
    await page.route('**/api/chat', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await ask(page, `/echo ${'line of text\n\n'.repeat(300)}`);
    await page.locator('.cw-typing').waitFor();
    await saveScreenshot(page, 'chat-view-phone-typing');
    await page.locator('[data-role="assistant"] .cw-content p').first().waitFor();
    expect(await page.locator('.cw-typing').count()).toBe(0);
    const log = page.getByRole('log');
    await log.evaluate((node) => {
      node.scrollTop = 0;
    });
    const jump = page.getByRole('button', { name: 'Jump to latest' });
    await jump.waitFor();
    const stillUp = await log.evaluate((node) => node.scrollTop);
    await page.waitForTimeout(300);
    expect(await log.evaluate((node) => node.scrollTop)).toBe(stillUp);
    await saveScreenshot(page, 'chat-view-phone-jump');
    await jump.click();
    await expect
      .poll(() => log.evaluate((node) => node.scrollHeight - node.scrollTop - node.clientHeight))
      .toBeLessThan(30);
  }, 60_000);

  it('desktop: a conversation survives a reload; edit and regenerate by keyboard; feedback fires', async () => {
    const { page } = await suite.newPage(DESKTOP);
    await mountChat(page, suite.url, true);
    await ask(page, '/echo first answer');
    await idle(page);
    await page.reload();
    await mountChat(page, suite.url, true);
    const reply = page.locator('[data-role="assistant"]');
    await expect.poll(() => reply.first().textContent()).toContain('first answer');
    // Regenerate by keyboard.
    await reply.first().getByRole('button', { name: 'Regenerate' }).focus();
    await page.keyboard.press('Enter');
    await idle(page);
    expect(await reply.count()).toBe(1);
    // Edit by keyboard: Edit, type, Enter.
    await page.getByRole('button', { name: 'Edit', exact: true }).focus();
    await page.keyboard.press('Enter');
    const editor = page.getByRole('textbox', { name: 'Edit your message' });
    await editor.fill('/echo edited answer');
    await page.keyboard.press('Enter');
    await idle(page);
    await expect.poll(() => reply.first().textContent()).toContain('edited answer');
    await reply.first().getByRole('button', { name: 'Good reply' }).click();
    const feedback = await page.evaluate(
      () => (window as unknown as { feedback: { value: string }[] }).feedback,
    );
    expect(feedback.map((f) => f.value)).toEqual(['up']);
  }, 60_000);
});
