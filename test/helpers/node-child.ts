// Runs a TypeScript file from test/ as a separate Node process, as a second server instance would
// run: esbuild bundles it (chatwire's source included) to CommonJS in a temporary directory, and
// NODE_PATH lets it require the dev dependencies (redis, ioredis) left outside the bundle.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Bundles `entry` (a path under test/) for Node; returns the bundle's path. */
export async function bundleForNode(entry: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'chatwire-child-')), 'child.cjs');
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['redis', 'ioredis'],
    logLevel: 'error',
  });
  return outfile;
}

/** A running child: its lines of stdout, one at a time, and a way to write a line to its stdin. */
export interface NodeChild {
  process: ChildProcess;
  /** The next line the child prints (rejects if it exits first). */
  nextLine(): Promise<string>;
  send(line: string): void;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export function spawnNode(bundle: string, args: string[]): NodeChild {
  const child = spawn(process.execPath, [bundle, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
  });
  let stderr = '';
  child.stderr!.on('data', (data) => {
    stderr += data;
  });
  const lines: string[] = [];
  const waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(line);
    else lines.push(line);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      for (const waiter of waiting.splice(0)) {
        waiter.reject(new Error(`child exited with ${code} before printing a line: ${stderr.trim()}`));
      }
      resolve(code);
    });
  });
  return {
    process: child,
    exited,
    nextLine: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (child.exitCode !== null) {
        return Promise.reject(new Error(`child exited with ${child.exitCode}: ${stderr.trim()}`));
      }
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    send: (line) => child.stdin!.write(`${line}\n`),
  };
}
