// Bundle size of a page's chat: chatwire's `createAiChat` + `createUnsafeChatAdapter` (default theme
// included, it ships inside the JS) against NLUX's vanilla `createAiChat` + its OpenAI adapter, both
// bundled the same way: esbuild, browser ESM, minified, then gzip level 9. Needs `npm run build` first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bundledSize, chatwireFromDist, gzipSize, kb } from './bundle-size.mjs';
import { SIZE_BUDGETS } from './size-budgets.mjs';

const require = createRequire(import.meta.url);
const TARGET_GZIP = SIZE_BUDGETS[1].gzip;

// Each entry assigns what it imports to a global, so tree-shaking cannot drop it.
const entries = [
  {
    name: 'chatwire: createAiChat + createUnsafeChatAdapter (theme and markdown included)',
    contents:
      "import { createAiChat, createUnsafeChatAdapter } from 'chatwire'; globalThis.x = [createAiChat, createUnsafeChatAdapter];",
  },
  {
    name: 'chatwire: createAiChat alone',
    contents: "import { createAiChat } from 'chatwire'; globalThis.x = createAiChat;",
  },
  {
    name: 'chatwire: createUnsafeChatAdapter alone (the chat UI tree-shakes away)',
    contents: "import { createUnsafeChatAdapter } from 'chatwire'; globalThis.x = createUnsafeChatAdapter;",
  },
  {
    name: 'chatwire: + defineAiChatElement + createChatAdapter',
    contents:
      "import { createAiChat, createUnsafeChatAdapter, createChatAdapter, defineAiChatElement } from 'chatwire'; globalThis.x = [createAiChat, createUnsafeChatAdapter, createChatAdapter, defineAiChatElement];",
  },
  {
    name: `NLUX ${require('@nlux/core/package.json').version}: @nlux/core createAiChat + @nlux/openai createUnsafeChatAdapter`,
    contents:
      "import { createAiChat } from '@nlux/core'; import { createUnsafeChatAdapter } from '@nlux/openai'; globalThis.x = [createAiChat, createUnsafeChatAdapter];",
  },
];

export default async function run() {
  const results = [];
  for (const entry of entries)
    results.push({ ...entry, ...(await bundledSize(entry.contents, [chatwireFromDist])) });
  const rows = results.map((r) => `| ${r.name} | ${kb(r.min)} | ${kb(r.gzip)} |`);
  const first = results[0];
  const nlux = results.at(-1);
  // NLUX's theme lives in @nlux/themes, which these packages do not ship; its CSS is not counted.
  const nluxCss = (() => {
    try {
      return readFileSync(require.resolve('@nlux/themes/nova.css'));
    } catch {
      return undefined;
    }
  })();
  return [
    '## Chat UI bundle size',
    '',
    'esbuild, browser ESM, minified; gzip level 9. chatwire is bundled from the built `dist/index.js`.',
    '',
    '| bundle | minified | gzip |',
    '|---|---:|---:|',
    ...rows,
    '',
    `Target: chatwire's chat + adapter ≤ ${kb(TARGET_GZIP)} gzip — ${first.gzip <= TARGET_GZIP ? 'met' : 'NOT met'} (${first.gzip} of ${TARGET_GZIP} bytes, ${(nlux.gzip / first.gzip).toFixed(1)}× smaller than NLUX).`,
    nluxCss
      ? `NLUX theme CSS adds ${kb(gzipSize(nluxCss))} gzip.`
      : 'NLUX CSS theme: not counted (it ships in @nlux/themes, which is not installed); chatwire includes its theme.',
  ].join('\n');
}
