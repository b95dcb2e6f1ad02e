// Packs the repository exactly as `npm publish` would, into a throwaway folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root (where package.json lives). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a command without a shell; rejects with its output when it exits non-zero. */
export const run = promisify(execFile);

/** A packed tarball and the temp folder holding it. */
export interface PackedTarball {
  /** Absolute path of the `.tgz`. */
  tarball: string;
  /** Paths inside the package, as `npm pack` lists them. */
  files: string[];
  /** The temp folder; tests may create more things in it. */
  dir: string;
  /** Removes the temp folder. */
  cleanup(): Promise<void>;
}

/** `npm pack` into a new temp folder. Needs `npm run build` to have produced dist/. */
export async function packTarball(): Promise<PackedTarball> {
  if (!existsSync(path.join(repoRoot, 'dist', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the package tests');
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'chatwire-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repoRoot });
  const [report] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return {
    tarball: path.join(dir, report.filename),
    files: report.files.map((f) => f.path),
    dir,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
