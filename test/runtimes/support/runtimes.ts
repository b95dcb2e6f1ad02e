// How the suite starts each runtime with a command line. Nothing may come from the network: Deno gets
// no remote or npm imports, no config or package.json lookup and only loopback network; Bun never
// auto-installs. All three binaries come from npm (node_modules/.bin).
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './bundle';

export type CommandLineRuntime = 'node' | 'deno' | 'bun';

const bin = (name: string) => join(REPO_DIR, 'node_modules', '.bin', name);

/** The command that runs `script` (a path from the repository root) with `args` under `runtime`. */
export function commandLine(
  runtime: CommandLineRuntime,
  script: string,
  args: string[],
): { command: string; args: string[] } {
  const path = join(REPO_DIR, script);
  switch (runtime) {
    case 'node':
      return { command: process.execPath, args: [path, ...args] };
    case 'deno':
      return {
        command: bin('deno'),
        args: [
          'run',
          '--no-remote',
          '--no-npm',
          '--no-config',
          '--no-lock',
          '--no-prompt',
          '--allow-net=127.0.0.1',
          path,
          ...args,
        ],
      };
    case 'bun':
      return { command: bin('bun'), args: ['--no-install', path, ...args] };
  }
}

/** Environment for the children: no update checks, no telemetry, Deno's cache outside the repository. */
export const runtimeEnv = {
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PACKAGE_JSON: '1',
  DENO_DIR: join(tmpdir(), 'chatwire-runtime-tests-deno'),
  DO_NOT_TRACK: '1',
};

// workerd runs every Worker with the example's wrangler.toml settings, so the example is tested as it
// deploys. They include no nodejs_compat: the library must run on Workers' Web APIs alone.
const wranglerToml = readFileSync(join(REPO_DIR, 'examples', 'server', 'wrangler.toml'), 'utf8');
/** `compatibility_date` from examples/server/wrangler.toml. */
export const compatibilityDate = /^compatibility_date = "([\d-]+)"$/m.exec(wranglerToml)![1]!;
/** `compatibility_flags` from examples/server/wrangler.toml. */
export const compatibilityFlags: string[] = JSON.parse(
  /^compatibility_flags = (\[.*\])$/m.exec(wranglerToml)?.[1] ?? '[]',
);
