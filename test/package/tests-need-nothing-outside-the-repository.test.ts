// The suite runs on any clone: nothing in test/, bench/, scripts/ or src/ reaches for the workplace's
// shared/ folder beside the repository (the recordings and the spec are vendored under test/fixtures/).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// A relative path up to the shared folder (written as a path or as `join` arguments), or the 0.1 helper's
// constant; built so that this file's own text does not match what it looks for.
const readsShared = /\.\.[/\\]shared|['"]\.\.['"],\s*['"]shared['"]|SHARED[_]DIR/;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures') yield* sourceFiles(path);
    } else if (/\.(ts|mts|mjs|js|json)$/.test(entry.name)) yield path;
  }
}

describe('the repository tests on its own', () => {
  it('no test, bench, script or source file reads the shared folder beside the repository', () => {
    const offenders: string[] = [];
    for (const folder of ['test', 'bench', 'scripts', 'src'])
      for (const file of sourceFiles(join(root, folder)))
        if (readsShared.test(readFileSync(file, 'utf8'))) offenders.push(file);
    expect(offenders).toEqual([]);
  });
});
