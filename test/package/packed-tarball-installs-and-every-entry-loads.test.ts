// The packed tarball installs into an empty project with no network, and each of its three entries
// loads where users load it: `chatwire` and `chatwire/server` in Node, the IIFE in a browser window.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedTarball, packTarball, run } from './pack-tarball';

let packed: PackedTarball;
let project: string;

beforeAll(async () => {
  packed = await packTarball();
  project = path.join(packed.dir, 'consumer');
  await mkdir(project);
  await writeFile(
    path.join(project, 'package.json'),
    '{ "name": "consumer", "private": true, "type": "module" }\n',
  );
  await run('npm', ['install', packed.tarball, '--offline', '--no-audit', '--no-fund'], { cwd: project });
}, 120_000);
afterAll(() => packed?.cleanup());

/** Runs an ES module snippet with Node inside the consumer project and returns what it printed. */
async function nodeEval(source: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', source], { cwd: project });
  return stdout.trim();
}

/** The `typeof` of each named export of a module specifier, as seen from the consumer project. */
async function exportTypes(specifier: string, names: string[]): Promise<Record<string, string>> {
  const printed = await nodeEval(
    `const m = await import(${JSON.stringify(specifier)});
     console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, typeof m[n]]))));`,
  );
  return JSON.parse(printed) as Record<string, string>;
}

describe('the installed package', () => {
  it('declares no runtime dependencies', async () => {
    const manifest = JSON.parse(
      await readFile(path.join(project, 'node_modules', 'chatwire', 'package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string> };
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it("loads `import('chatwire')` in Node with the builders, the UI and ChatError", async () => {
    const names = [
      'createUnsafeChatAdapter',
      'createChatAdapter',
      'createAiChat',
      'defineAiChatElement',
      'ChatError',
    ];
    expect(await exportTypes('chatwire', names)).toEqual(
      Object.fromEntries(names.map((n) => [n, 'function'])),
    );
  });

  it("loads `import('chatwire/server')` in Node with the proxy, the node adapter and the offline model", async () => {
    const names = ['createOpenAiProxy', 'toNodeHandler', 'createOfflineModel'];
    expect(await exportTypes('chatwire/server', names)).toEqual(
      Object.fromEntries(names.map((n) => [n, 'function'])),
    );
  });

  it('runs the IIFE in a browser window: it sets window.Chatwire and mounts a chat', async () => {
    const iife = await readFile(
      path.join(project, 'node_modules', 'chatwire', 'dist', 'chatwire.iife.js'),
      'utf8',
    );
    const window = new Window({ url: 'https://example.com/' });
    try {
      // happy-dom's Window is a vm context, so the script sees it as its global object like a <script> does.
      vm.runInContext(iife, window);
      const chatwire = (window as unknown as { Chatwire?: Record<string, unknown> }).Chatwire;
      expect(Object.keys(chatwire ?? {})).toEqual(
        expect.arrayContaining(['createAiChat', 'createChatAdapter', 'createUnsafeChatAdapter', 'ChatError']),
      );
      vm.runInContext(
        `const root = document.createElement('div');
         document.body.append(root);
         Chatwire.createAiChat().withAdapter({ streamText(message, observer) { observer.complete(); } }).mount(root);`,
        window,
      );
      expect(window.document.querySelector('[role="log"]')).not.toBeNull();
      expect(window.document.querySelector('textarea')).not.toBeNull();
    } finally {
      await window.happyDOM.close();
    }
  });

  // V8 compiles a file that opens with this comment while it downloads, off the main thread; mounting a
  // chat calls nearly all of a browser build. The server build is left to compile lazily.
  it('opens each browser build with the compile hint, and only those', async () => {
    const firstLine = async (file: string) =>
      (await readFile(path.join(project, 'node_modules', 'chatwire', 'dist', file), 'utf8')).split('\n')[0];
    for (const file of ['chatwire.iife.js', 'index.js', 'conversation.js']) {
      expect(await firstLine(file)).toBe('//# allFunctionsCalledOnLoad');
    }
    expect(await firstLine('server.js')).not.toContain('allFunctionsCalledOnLoad');
  });
});
