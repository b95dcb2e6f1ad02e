// Shared by the markdown tests: feeding text in different splits and a long mixed document.

import type { MarkdownOptions as MessageOptions } from '../../src/chat/markdown';
import { createMarkdownStream } from '../../src/chat/markdown/index';
import { renderCases } from './cases';

/** A small seeded PRNG (mulberry32), so a failing split can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `text` into pieces of 1..maxLength characters at seeded random places. */
export function randomSplit(text: string, seed: number, maxLength = 12): string[] {
  const random = seededRandom(seed);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; ) {
    const length = 1 + Math.floor(random() * maxLength);
    pieces.push(text.slice(i, i + length));
    i += length;
  }
  return pieces;
}

/** Renders `pieces` one push at a time into a fresh element and returns it after end(). */
export function renderPieces(pieces: string[], options: MessageOptions = {}): HTMLElement {
  const target = document.createElement('div');
  const stream = createMarkdownStream(target, { showCodeBlockCopyButton: false, ...options });
  for (const piece of pieces) stream.push(piece);
  stream.end();
  return target;
}

/** Renders the whole text in one push. */
export const renderWhole = (text: string, options: MessageOptions = {}) => renderPieces([text], options);

/** Every table input, in one document, plus prose that mixes constructs inside lists and quotes. */
export function mixedDocument(): string {
  const extra = [
    '## Summary\n\nHere is **bold with `code` inside** and _emphasis_, a [link](https://example.com/x_(y)).',
    '1. First step with `npm i`\n2. Second:\n   - nested *item*\n   - another\n3. Third\n\n> Quote with **bold**\n> - and a list\n>\n> ```ts\n> const x = 1;\n> ```',
    '| Name | Value |\n| ---- | ----: |\n| **a** | `1` |\n| [b](/b) | 2 |\n\nText after the table.\n\n---',
    'Trailing text with a hard break  \nand more\\\nand the end.',
  ];
  // The unclosed fence would swallow everything after it, so it goes last.
  const unclosed = 'unclosed fence at the end';
  const inputs = renderCases.filter((c) => c.name !== unclosed).map((c) => c.input);
  const last = renderCases.filter((c) => c.name === unclosed).map((c) => c.input);
  return [...inputs, ...extra, ...last].join('\n\n');
}
