// @vitest-environment happy-dom
// Each markdown construct renders to the expected HTML after end(), compared normalised (the code
// block header, scroll wrappers and class names are pinned down by the options and a11y tests).
import { describe, expect, it } from 'vitest';
import { renderCases } from './cases';
import { normalise } from './commonmark-normalise.mjs';
import { renderWhole } from './helpers';

const parse = (html: string) => {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
};

describe('markdown renders every construct', () => {
  it.each(renderCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(normalise(renderWhole(c.input))).toBe(normalise(parse(c.html)));
  });
});
