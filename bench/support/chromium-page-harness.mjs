// The page harness the Chromium benches share: a folder holding NLUX's vanilla UI bundled as an IIFE
// (`window.NluxBench`) beside a page and its script, a loopback server for that folder and the built
// dist/, and the main-thread clock (CDP Performance.getMetrics TaskDuration and ThreadTime).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The page every harness loads: chatwire's IIFE, NLUX's bundle, then the bench's own script and CSS;
 * `intro` is markup shown above the UI's root.
 */
export const harnessHtml = (title, intro = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/harness.css">
<script src="/dist/chatwire.iife.js"></script>
<script src="/nlux.js"></script>
<script src="/harness.js"></script>
</head><body>${intro}<div id="root"></div></body></html>`;

/** Writes NLUX's bundle and the page (`html`, `js`, `css`) into `dir`. */
export async function prepareHarness(dir, { html, js, css }) {
  await mkdir(dir, { recursive: true });
  const entry = path.join(dir, 'nlux-entry.js');
  await writeFile(
    entry,
    "import { createAiChat } from '@nlux/core';\nwindow.NluxBench = { createAiChat };\n",
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    outfile: path.join(dir, 'nlux.js'),
    nodePaths: [path.join(root, 'node_modules')],
    logLevel: 'error',
  });
  await writeFile(path.join(dir, 'index.html'), html);
  await writeFile(path.join(dir, 'harness.js'), js);
  await writeFile(path.join(dir, 'harness.css'), css);
}

/** Serves `dir` at / and the repository's dist/ at /dist/ on 127.0.0.1; resolves with the server. */
export function serveHarness(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = url.pathname.startsWith('/dist/')
      ? path.join(root, url.pathname)
      : path.join(dir, url.pathname === '/' ? 'index.html' : url.pathname);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * How long a loaded page is left alone before a bench starts its clock. For a second or so after each page
 * load another renderer process of the browser is busy (hundreds of ms of CPU, read from /proc), and on a
 * 2-core machine the page's tasks then take up to twice their CPU time: without this rest, one commit's
 * 200-message saved-conversation mount ranged 62–125 ms across runs; with it, 47–65 ms.
 */
export const REST_AFTER_LOAD_MS = 1500;

/** Waits REST_AFTER_LOAD_MS. */
export const restAfterLoad = () => new Promise((resolve) => setTimeout(resolve, REST_AFTER_LOAD_MS));

/**
 * Main-thread time so far, in seconds, from a CDP session with `Performance.enable` sent: `task`, the
 * length of the tasks it ran (TaskDuration), and `cpu`, its CPU time (ThreadTime); on a busy machine the
 * first exceeds the second.
 */
export async function mainThreadSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name) => metrics.find((m) => m.name === name).value;
  return { task: value('TaskDuration'), cpu: value('ThreadTime') };
}
