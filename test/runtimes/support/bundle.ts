// Bundles a Worker the way a user's build would (esbuild, ES modules), so workerd runs exactly the
// files in the repository: `chatwire/server` resolves to the built dist/server.js.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const REPO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The bundled source of `entry` (a path from the repository root), as one ES module. */
export async function bundleWorker(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO_DIR, entry)],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
    // Provided by workerd itself, as on Cloudflare.
    external: ['cloudflare:*'],
    plugins: [
      {
        name: 'chatwire-from-dist',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^chatwire(\/server)?$/ }, ({ path }) => ({
            path: join(REPO_DIR, 'dist', path === 'chatwire' ? 'index.js' : 'server.js'),
          }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}
