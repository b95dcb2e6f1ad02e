// How the size benches measure a bundle, so every row they print was measured the same way: esbuild
// (bundle, minify, browser ESM, ES2020), then gzip level 9. Not a bench itself: bench/run.mjs runs
// only `*.bench.mjs`.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The repository root, with a trailing slash: entries resolve their imports from here. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** Gzipped size (level 9) in bytes. */
export const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Bundles the entry module `code` (resolved from the repository root) and returns its minified and
 * gzipped sizes in bytes. `plugins` go to esbuild as they are.
 */
export async function bundledSize(code, plugins = []) {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    plugins,
  });
  const bytes = result.outputFiles[0].contents;
  return { min: bytes.length, gzip: gzipSize(bytes) };
}

/** Bytes as kilobytes with one decimal, e.g. `3.9 KB`. */
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** An esbuild plugin resolving `chatwire` to the built `dist/index.js`, as a user's bundler would. */
export const chatwireFromDist = {
  name: 'chatwire-dist',
  setup(b) {
    b.onResolve({ filter: /^chatwire$/ }, () => ({ path: `${root}dist/index.js` }));
  },
};
