// The tarball `npm publish` would upload passes publint and "Are the Types Wrong?".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedTarball, packTarball, repoRoot, run } from './pack-tarball';

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

let packed: PackedTarball;
beforeAll(async () => {
  packed = await packTarball();
});
afterAll(() => packed?.cleanup());

describe('the packed tarball', () => {
  it('ships only the build, the docs and the licence', () => {
    const outside = packed.files.filter(
      (f) => !/^(dist\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f),
    );
    expect(outside).toEqual([]);
    expect(packed.files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/server.js', 'dist/chatwire.iife.js']),
    );
  });

  it('gets no publint message at any level', async () => {
    const bytes = await readFile(packed.tarball);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`)).toEqual([]);
  });

  // chatwire is ESM-only by design (Node >= 20 can require() it anyway), so the `esm-only` profile:
  // it still checks node16-from-ESM and bundler resolution of every entry, and only leaves out
  // CommonJS `require` and the pre-exports `node10` resolver.
  it('passes attw --profile esm-only, with every problem confined to the CJS and node10 resolvers', async () => {
    const attw = path.join(repoRoot, 'node_modules', '.bin', 'attw');
    const args = [packed.tarball, '--profile', 'esm-only', '--format', 'json'];
    let stdout: string;
    let exitCode = 0;
    try {
      ({ stdout } = await run(attw, args, { cwd: packed.dir }));
    } catch (error) {
      ({ stdout } = error as { stdout: string });
      exitCode = (error as { code: number }).code;
    }
    const report = JSON.parse(stdout) as { problems?: Record<string, AttwProblem[]> };
    const problems = Object.values(report.problems ?? {}).flat();
    const inScope = problems.filter(
      (p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs',
    );
    expect(inScope).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
