// How much a page pays for "stream OpenAI chat": `import { createUnsafeChatAdapter }` bundled for the
// browser with esbuild (minified, tree-shaken), gzip -9, next to the same import from @nlux/openai and
// the `OpenAI` client from openai@6, bundled the same way in the same run.

import { bundledSize, kb } from './bundle-size.mjs';
import { SIZE_BUDGETS } from './size-budgets.mjs';

const TARGET_GZIP = SIZE_BUDGETS[0].gzip;

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
