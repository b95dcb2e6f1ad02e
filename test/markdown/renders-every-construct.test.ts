// @vitest-environment happy-dom
// Each markdown construct renders to the expected HTML (target.innerHTML after end()).
import { describe, expect, it } from 'vitest';
import { renderCases } from './cases';
import { renderWhole } from './helpers';

describe('markdown renders every construct', () => {
  it.each(renderCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(renderWhole(c.input).innerHTML).toBe(c.html);
  });
});
