// Size is part of every change: each entry in bench/size-budgets.mjs is bundled from the built dist the
// way the size benches do (esbuild, minified, browser ESM, gzip -9) and must stay within its budget.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledSize, chatwireFromDist, root } from '../../bench/bundle-size.mjs';
import { SIZE_BUDGETS } from '../../bench/size-budgets.mjs';

describe('bundle sizes', () => {
  it('has a built dist to measure', () => {
    expect(existsSync(`${root}dist/index.js`), 'run `npm run build` first').toBe(true);
  });

  for (const budget of SIZE_BUDGETS) {
    it(`${budget.name}: at most ${budget.gzip} bytes gzip`, async () => {
      const { gzip } = await bundledSize(budget.code, [chatwireFromDist]);
      expect(gzip).toBeLessThanOrEqual(budget.gzip);
    });
  }
});
