// @vitest-environment happy-dom
// Where the text is cut into deltas never changes the result: one piece, one character at a time and
// seeded random splits all give the same DOM.
import { describe, expect, it } from 'vitest';
import { renderCases } from './cases';
import { mixedDocument, randomSplit, renderPieces, renderWhole, seededRandom } from './helpers';

const seeds = [1, 2, 3, 42, 1234];

describe('markdown split invariance', () => {
  it.each(renderCases.map((c) => [c.name, c.input] as const))(
    '%s: the same DOM per character and in random pieces',
    (_name, input) => {
      const whole = renderWhole(input).innerHTML;
      expect(renderPieces(input.split('')).innerHTML).toBe(whole);
      for (const seed of seeds)
        expect(renderPieces(randomSplit(input, seed, 4)).innerHTML, `seed ${seed}`).toBe(whole);
    },
  );

  it('a long mixed document gives the same DOM however it is split', () => {
    const doc = mixedDocument();
    const whole = renderWhole(doc).innerHTML;
    // The document really mixes constructs (a guard against a test that passes on an empty render).
    for (const tag of [
      '<h1>',
      '<ul>',
      '<ol',
      '<blockquote>',
      '<table>',
      '<pre',
      '<a ',
      '<hr>',
      '<strong>',
      '<em>',
    ]) {
      expect(whole).toContain(tag);
    }
    expect(renderPieces(doc.split('')).innerHTML).toBe(whole);
    for (const seed of seeds) {
      expect(renderPieces(randomSplit(doc, seed, 40)).innerHTML, `seed ${seed}`).toBe(whole);
    }
  });

  it('splitting inside a surrogate pair or a CRLF changes nothing', () => {
    const input = '# 😀 héllo\r\n\r\n- *🎉* party\r\n';
    const whole = renderWhole(input).innerHTML;
    expect(whole).toBe('<h1>😀 héllo</h1><ul><li><span><em>🎉</em> party</span></li></ul>');
    expect(renderPieces(input.split('')).innerHTML).toBe(whole);
  });
});

describe('markdown split invariance on generated input', () => {
  // Strings made mostly of markdown's special characters reach the corners of the parser
  // (half-open links, runs of delimiters, fences inside lists…) that hand-written cases miss.
  const alphabet = [
    ...'*_`~[]()<>!|#-+:\\ah  ',
    '1.',
    '\n',
    '\n\n',
    'https://a.io/',
    '```',
    '> ',
    '- ',
    '| a |',
    '|---|',
  ];

  function generate(seed: number): string {
    const random = seededRandom(seed);
    const length = Math.floor(random() * 60);
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
    return text;
  }

  it('gives the same DOM for 300 generated inputs fed whole, per character and in random pieces', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const input = generate(seed);
      const whole = renderWhole(input).innerHTML;
      expect(renderPieces(input.split('')).innerHTML, JSON.stringify(input)).toBe(whole);
      expect(renderPieces(randomSplit(input, seed, 6)).innerHTML, JSON.stringify(input)).toBe(whole);
    }
  });
});
