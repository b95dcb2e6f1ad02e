// The chat as people really use it (issue 15), in headless Chromium against `npm start`'s offline model:
// a double-click or double-tap on Send does not stop the reply it asked for; focus is never lost or
// clipped; on a touch phone Enter is a new line, the text box does not zoom or jump, every control is a
// 44×44 target, replies use the width and tables keep whole words. Screenshots, desktop and phone, light
// and dark, go to test-results/screenshots/.
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { chatIn, textOf } from './support/chat-driver';
import { describeInChromium } from './support/chromium';
import { EXAMPLES, type Example } from './support/examples';
import { unexpectedErrors } from './support/page-watch';
import { saveScreenshot } from './support/screenshots';

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true };

const example = (name: string): Example => EXAMPLES.find((e) => e.name === name)!;

const WIDE_TABLE = [
  '/echo Eight columns:',
  '',
  '| Column A | Column B | Column C | Column D | Column E | Column F | Column G | Column H |',
  '|---|---|---|---|---|---|---|---|',
  '| alpha beta | gamma delta | epsilon | zeta eta | theta | iota kappa | lambda | mu nu xi |',
  '',
  'After the table.',
].join('\n');

/** The border box of `locator`'s element. */
const box = async (locator: Locator) => (await locator.boundingBox())!;

describeInChromium('the chat on a phone and by keyboard', () => {
  const suite = useBrowserSuite();

  async function open(name: string, device: typeof DESKTOP | typeof PHONE) {
    const ex = example(name);
    const { page, watch } = await suite.openExample(ex, device);
    await ex.prepare?.(page);
    const chat = chatIn(page);
    await chat.composer.waitFor();
    return { page, watch, chat };
  }

  describe('a double-click on Send', () => {
    it('with a mouse: the second click lands on a fresh Stop and is ignored; the reply finishes', async () => {
      const { page, chat, watch } = await open('esm', DESKTOP);
      await chat.composer.fill('/echo One two three four five six seven eight nine ten eleven twelve.');
      await chat.send.dblclick();
      const reply = chat.assistant.first();
      await chat.idle();
      expect(await textOf(reply)).toContain(
        'One two three four five six seven eight nine ten eleven twelve.',
      );
      await expect(chat.assistant.count()).resolves.toBe(1);
      expect(unexpectedErrors(watch)).toEqual([]);
      // A deliberate Stop, later, still works.
      await chat.composer.fill('Show me what you can render.');
      await chat.send.click();
      await page.waitForTimeout(700);
      await chat.stop.click();
      await chat.send.waitFor({ timeout: 2_000 });
      expect((await textOf(chat.assistant.nth(1))).length).toBeLessThan(400);
    }, 40_000);

    it('with a finger: a double-tap does not stop the reply', async () => {
      const { page, chat } = await open('esm', PHONE);
      const long = `${Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ')} Tapped twice, answered once.`;
      await chat.composer.fill(`/echo ${long}`);
      // Two taps on the same spot, back to back, as a finger does it: no waiting in between.
      const { x, y, width, height } = await box(chat.send);
      await page.touchscreen.tap(x + width / 2, y + height / 2);
      await page.touchscreen.tap(x + width / 2, y + height / 2);
      await chat.idle(30_000);
      expect(await textOf(chat.assistant.first())).toContain('Tapped twice, answered once.');
    }, 30_000);
  });

  describe('focus', () => {
    it("the log's focus ring is drawn whole, inside the chat's clipping edge", async () => {
      const { page, chat } = await open('esm', DESKTOP);
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      // Keyboard focus (Tab) is what shows the ring; the starters come first, then the log.
      for (let i = 0; i < 10 && !(await chat.log.evaluate((log) => log === document.activeElement)); i++)
        await page.keyboard.press('Tab');
      const ring = await chat.log.evaluate((log) => {
        const style = getComputedStyle(log);
        const reach = Number.parseFloat(style.outlineOffset) + Number.parseFloat(style.outlineWidth);
        const frame = log.closest('.chatwire')!;
        const clip = frame.getBoundingClientRect();
        const edge = Number.parseFloat(getComputedStyle(frame).borderTopWidth);
        const own = log.getBoundingClientRect();
        return {
          focused: log === document.activeElement && log.matches(':focus-visible'),
          style: style.outlineStyle,
          top: own.top - reach >= clip.top + edge,
          left: own.left - reach >= clip.left + edge,
          right: own.right + reach <= clip.right - edge,
        };
      });
      expect(ring).toEqual({ focused: true, style: 'solid', top: true, left: true, right: true });
    });

    it('a reply that ends while Stop has focus leaves focus in the text box, not on <body>', async () => {
      const { page, chat } = await open('esm', DESKTOP);
      // Long enough to still be streaming when Tab lands on Stop, even on a slow machine.
      const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
      await chat.composer.fill(`/echo ${long}`);
      await chat.composer.press('Enter');
      await chat.stop.waitFor();
      await page.keyboard.press('Tab');
      expect(await chat.stop.evaluate((b) => b === document.activeElement), 'Stop has focus').toBe(true);
      await chat.idle(30_000);
      expect(await textOf(chat.assistant.first())).toContain('word119');
      const focused = await page.evaluate(() => document.activeElement?.localName);
      expect(focused, 'focus after the reply').toBe('textarea');
    }, 30_000);
  });

  describe('the composer', () => {
    it('on a touch phone: Enter is a new line, Send sends; 16 px text; enterkeyhint says so', async () => {
      const { page, chat } = await open('esm', PHONE);
      expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
      await chat.composer.tap();
      await page.keyboard.type('first line');
      await page.keyboard.press('Enter');
      await page.keyboard.type('second line');
      expect(await chat.composer.inputValue()).toBe('first line\nsecond line');
      await expect(page.locator('[data-role="user"]').count()).resolves.toBe(0);
      expect(await chat.composer.getAttribute('enterkeyhint')).toBe('enter');
      expect(
        await chat.composer.evaluate((t) => Number.parseFloat(getComputedStyle(t).fontSize)),
      ).toBeGreaterThanOrEqual(16);
      await chat.send.tap();
      await expect
        .poll(() => textOf(page.locator('[data-role="user"] .cw-content').first()))
        .toBe('first line\nsecond line');
    });

    it('on a desktop: Enter sends and enterkeyhint is "send"; the text is 16 px there too', async () => {
      const { page, chat } = await open('esm', DESKTOP);
      expect(await chat.composer.getAttribute('enterkeyhint')).toBe('send');
      expect(
        await chat.composer.evaluate((t) => Number.parseFloat(getComputedStyle(t).fontSize)),
      ).toBeGreaterThanOrEqual(16);
      await chat.composer.fill('/echo sent by Enter');
      await chat.composer.press('Enter');
      await expect
        .poll(() => textOf(page.locator('[data-role="user"] .cw-content').first()))
        .toBe('/echo sent by Enter');
    });

    it('keeps one line one line high: no jump on the first keystroke, nor after sending', async () => {
      for (const device of [DESKTOP, PHONE]) {
        const { page, chat } = await open('esm', device);
        const height = () => box(chat.composer).then((b) => b.height);
        const empty = await height();
        await chat.composer.focus();
        await page.keyboard.type('a');
        expect(await height()).toBe(empty);
        await page.keyboard.type('nd more');
        expect(await height()).toBe(empty);
        await chat.composer.fill('/echo ok');
        await chat.composer.dispatchEvent('input');
        await (device === PHONE ? chat.send.tap() : chat.send.click());
        await chat.idle();
        expect(await height()).toBe(empty);
        // A second line really does grow it.
        await chat.composer.fill('one\ntwo');
        await chat.composer.dispatchEvent('input');
        expect(await height()).toBeGreaterThan(empty + 10);
      }
    }, 40_000);

    it('is on screen on a phone: the example sizes the chat to the viewport', async () => {
      for (const name of ['cdn', 'esm', 'lit', 'web-component']) {
        const { page, chat } = await open(name, PHONE);
        const composer = await box(chat.composer);
        expect(composer.y + composer.height, name).toBeLessThanOrEqual(740);
        const sendBox = await box(chat.send);
        expect(sendBox.y + sendBox.height, name).toBeLessThanOrEqual(740);
        // …and the log keeps a useful height.
        expect((await box(chat.log)).height, name).toBeGreaterThan(200);
        await page.close();
      }
    }, 40_000);
  });

  describe('touch targets', () => {
    it('Send, Stop, Copy, Retry and the conversation starters are at least 44×44 on a phone', async () => {
      const { page, chat } = await open('esm', PHONE);
      const sizes: Record<string, { width: number; height: number }> = {};
      const measure = async (name: string, locator: Locator) => {
        const { width, height } = await box(locator);
        sizes[name] = { width: Math.round(width), height: Math.round(height) };
      };
      const starters = page.locator('.cw-starters button');
      for (let i = 0; i < (await starters.count()); i++) await measure(`starter ${i}`, starters.nth(i));
      await measure('Send', chat.send);
      await saveScreenshot(page, 'ux-phone-light-welcome');
      await chat.composer.fill('Show me what you can render.');
      await chat.send.tap();
      await measure('Stop', chat.stop);
      await chat.idle();
      await measure('Copy', page.getByRole('button', { name: /copy/i }).first());
      await chat.composer.fill('/error 400');
      await chat.send.tap();
      await chat.retry.waitFor();
      await measure('Retry', chat.retry);
      expect(Object.keys(sizes)).toEqual(
        expect.arrayContaining(['starter 0', 'Send', 'Stop', 'Copy', 'Retry']),
      );
      for (const [name, size] of Object.entries(sizes)) {
        expect(size.width, name).toBeGreaterThanOrEqual(44);
        expect(size.height, name).toBeGreaterThanOrEqual(44);
      }
    }, 40_000);

    it("the example pages' own controls are at least 44×44 on a phone", async () => {
      const { page } = await suite.openExample(example('vue'), PHONE);
      const theme = page.getByLabel('Theme');
      await theme.waitFor();
      const { width, height } = await box(theme);
      expect(Math.min(width, height)).toBeGreaterThanOrEqual(44);
    });
  });

  describe('replies on a narrow screen', () => {
    it('a wide table keeps whole words in its cells and scrolls sideways in its own box', async () => {
      for (const [device, label] of [
        [PHONE, 'phone'],
        [DESKTOP, 'desktop'],
      ] as const) {
        const { page, chat } = await open('esm', device);
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          if (colorScheme === 'light') {
            const reply = await chat.ask(WIDE_TABLE);
            await chat.idle();
            await expect.poll(() => textOf(reply)).toContain('After the table.');
          }
          const table = page.locator('.cw-table').first();
          const layout = await table.evaluate((wrapper) => {
            // Every word of every cell on one line: a word broken across lines has several client rects.
            const broken: string[] = [];
            for (const cell of wrapper.querySelectorAll('th, td')) {
              const text = cell.firstChild as Text;
              for (const match of (text.data ?? '').matchAll(/\S+/g)) {
                const range = document.createRange();
                range.setStart(text, match.index!);
                range.setEnd(text, match.index! + match[0].length);
                if (range.getClientRects().length !== 1) broken.push(match[0]);
              }
            }
            const log = wrapper.closest('[role="log"]')!;
            return {
              broken,
              scrolls: wrapper.scrollWidth > wrapper.clientWidth,
              overflowX: getComputedStyle(wrapper).overflowX,
              logOverflows: log.scrollWidth > log.clientWidth,
              pageOverflows: document.documentElement.scrollWidth > innerWidth,
            };
          });
          expect(layout, `${label} ${colorScheme}`).toEqual({
            broken: [],
            scrolls: true,
            overflowX: 'auto',
            logOverflows: false,
            pageOverflows: false,
          });
          await saveScreenshot(page, `ux-${label}-${colorScheme}-wide-table`);
        }
      }
    }, 60_000);

    it('on a phone an assistant reply uses the full width of the log', async () => {
      const { chat } = await open('esm', PHONE);
      const reply = await chat.ask('/echo A short line.');
      await chat.idle();
      const widths = await chat.log.evaluate(
        (log, node) => {
          const inner = log.clientWidth - Number.parseFloat(getComputedStyle(log).paddingLeft) * 2;
          return { inner, bubble: node!.querySelector('.cw-bubble')!.getBoundingClientRect().width };
        },
        await reply.elementHandle(),
      );
      expect(widths.bubble).toBeGreaterThanOrEqual(widths.inner - 1);
    });
  });
});
