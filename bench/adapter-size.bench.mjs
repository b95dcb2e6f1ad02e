// How much a page pays for "stream OpenAI chat": `import { createUnsafeChatAdapter }` bundled for the
// browser with esbuild (minified, tree-shaken), gzip -9, next to the same import from @nlux/openai and
// the `OpenAI` client from openai@6, bundled the same way in the same run.

import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const TARGET_GZIP = 4096;

const entries = [
  {
    name: 'chatwire (dist/index.js)',
    code: `import { createUnsafeChatAdapter } from './dist/index.js'; globalThis.adapter = createUnsafeChatAdapter;`,
  },
  {
    name: '@nlux/openai 2.17.1',
    code: `import { createUnsafeChatAdapter } from '@nlux/openai'; globalThis.adapter = createUnsafeChatAdapter;`,
  },
  { name: 'openai 6', code: `import OpenAI from 'openai'; globalThis.adapter = OpenAI;` },
];

async function bundledSize(code) {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export default async function adapterSize() {
  const rows = [];
  for (const entry of entries) rows.push({ ...entry, ...(await bundledSize(entry.code)) });
  const [ours] = rows;
  const lines = [
    '## Adapter bundle size',
    '',
    '`import { createUnsafeChatAdapter }` (openai: `import OpenAI`) bundled with esbuild (bundle, minify,',
    `platform browser, ES2020), gzip level 9. Target for chatwire: at most ${kb(TARGET_GZIP)} gzip.`,
    '',
    '| bundle | minified | gzip | vs chatwire |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (row) => `| ${row.name} | ${kb(row.min)} | ${kb(row.gzip)} | ${(row.gzip / ours.gzip).toFixed(1)}x |`,
    ),
    '',
    `chatwire: ${ours.gzip} bytes gzip, ${ours.gzip <= TARGET_GZIP ? 'within' : 'OVER'} the ${TARGET_GZIP}-byte target.`,
  ];
  return lines.join('\n');
}
