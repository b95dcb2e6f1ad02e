// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import { themeCss as css } from '../../src/chat/theme/css';
import { type PaletteToken, palettes } from '../../src/chat/theme/palette';
import { manualAdapter, newHost } from './helpers';

// WCAG 2.x relative luminance and contrast ratio.
const luminance = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

// Every foreground/background pair the theme's rules draw, with the ratio WCAG AA asks of it.
const TEXT = 4.5;
const NON_TEXT = 3;
const pairs: [PaletteToken, PaletteToken, number][] = [
  ['fg', 'bg', TEXT], // page text, textarea text, list layout
  ['muted', 'bg', TEXT], // names, tagline, placeholder
  ['muted', 'assistant-bg', TEXT], // blockquotes inside a reply bubble
  ['assistant-fg', 'assistant-bg', TEXT], // assistant bubble
  ['assistant-fg', 'code-bg', TEXT], // code blocks
  ['fg', 'code-bg', TEXT], // avatar letters
  ['user-fg', 'user-bg', TEXT], // user bubble
  ['accent-fg', 'accent', TEXT], // Send / Stop button
  ['error', 'bg', TEXT], // error notice (list layout)
  ['error', 'assistant-bg', TEXT], // error notice under a bubble
  ['border', 'bg', NON_TEXT], // textarea and button outlines
  ['accent', 'bg', NON_TEXT], // the Send button's edge
  ['focus', 'bg', NON_TEXT], // focus ring
  ['focus', 'assistant-bg', NON_TEXT], // focus ring on a Retry button in a bubble
];

describe('default palette meets WCAG AA', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test.each(pairs)(`${scheme}: %s on %s ≥ %s:1`, (fg, bg, minimum) => {
      const ratio = contrast(palettes[scheme][fg], palettes[scheme][bg]);
      expect(ratio).toBeGreaterThanOrEqual(minimum);
    });
  }

  test('the contrast function agrees with known values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});

const themeCss = css();

describe('theme stylesheet', () => {
  test('exposes every palette colour as a --chatwire-* custom property, for light, dark and auto', () => {
    for (const name of Object.keys(palettes.light) as PaletteToken[]) {
      expect(themeCss).toContain(`var(--chatwire-${name},${palettes.light[name]})`);
      expect(themeCss).toContain(`var(--chatwire-${name},${palettes.dark[name]})`);
    }
    expect(themeCss).toContain('.chatwire[data-color-scheme=dark]{');
    expect(themeCss).toMatch(/@media \(prefers-color-scheme:dark\)\{\.chatwire\[data-color-scheme=auto\]\{/);
    expect(themeCss).toContain(':focus-visible{outline:2px solid var(--cw-focus)');
  });

  test('parses as CSS', () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(themeCss);
    expect(sheet.cssRules.length).toBeGreaterThan(30);
  });
});

describe('strict CSP', () => {
  test("the markup has no style attributes, <style>, <script> or on* handlers (nothing needing 'unsafe-inline')", () => {
    const host = newHost();
    const chat = createAiChat()
      .withAdapter(manualAdapter().adapter)
      .withPersonaOptions({ assistant: { name: 'A', avatar: 'https://example.com/a.png' } })
      .withConversationOptions({ conversationStarters: [{ prompt: 'go' }] })
      .withInitialConversation([
        { role: 'user', message: 'hi' },
        { role: 'assistant', message: 'hello' },
      ])
      .mount(host);
    chat.sendMessage('more');
    const html = host.innerHTML;
    expect(html).not.toMatch(/\sstyle=/);
    expect(host.querySelector('style, script, link')).toBeNull();
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // The theme arrives as an adopted constructable sheet instead.
    expect(document.adoptedStyleSheets.length).toBeGreaterThan(0);
    chat.unmount();
  });
});
