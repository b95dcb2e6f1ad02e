// CommonMark 0.31.2 conformance, per spec section, of chatwire's streaming renderer beside `marked`
// (what NLUX uses; not streaming) and `streaming-markdown` (the streaming peer), on the same examples
// in the same run: the spec examples the safety policy allows (raw HTML and images excluded), each
// rendered in happy-dom and compared with the spec's HTML by the conformance test's own normaliser.
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { Window } from 'happy-dom';
import { marked } from 'marked';
import * as smd from 'streaming-markdown';
import { excludedByPolicy, normalise, withTabs } from '../test/markdown/commonmark-normalise.mjs';

const require = createRequire(import.meta.url);

// The renderer is not a public export on its own, so it is bundled from source for this run.
async function loadRenderer() {
  const result = await build({
    entryPoints: [new URL('../src/chat/markdown/index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}

export default async function run() {
  const { createMarkdownStream } = await loadRenderer();
  const window = new Window();
  const { document } = window;
  const fresh = () => document.createElement('div');
  const renderers = {
    chatwire: (markdown) => {
      const target = fresh();
      const stream = createMarkdownStream(target, { showCodeBlockCopyButton: false });
      stream.push(markdown);
      stream.end();
      return target;
    },
    // Peers' output is the spec examples' HTML, parsed here only to be normalised the same way.
    marked: (markdown) => {
      const target = fresh();
      target.innerHTML = marked.parse(markdown, { async: false });
      return target;
    },
    // Its default renderer creates elements with the global `document`.
    'streaming-markdown': (markdown) => {
      globalThis.document = document;
      const target = fresh();
      const parser = smd.parser(smd.default_renderer(target));
      smd.parser_write(parser, markdown);
      smd.parser_end(parser);
      return target;
    },
  };
  const names = Object.keys(renderers);
  const spec = require('commonmark-spec').tests.map(withTabs);
  const allowed = spec.filter((example) => !excludedByPolicy(example));
  const sections = new Map();
  for (const example of allowed) {
    const expected = fresh();
    expected.innerHTML = example.html;
    const want = normalise(expected);
    const row = sections.get(example.section) ?? {
      total: 0,
      ...Object.fromEntries(names.map((n) => [n, 0])),
    };
    row.total++;
    for (const name of names) {
      let got = '';
      try {
        got = normalise(renderers[name](example.markdown));
      } catch {}
      if (got === want) row[name]++;
    }
    sections.set(example.section, row);
  }
  delete globalThis.document;
  await window.happyDOM.close();
  const totals = { total: 0, ...Object.fromEntries(names.map((n) => [n, 0])) };
  for (const row of sections.values()) for (const key of Object.keys(totals)) totals[key] += row[key];
  const pct = (n, total) => `${n}/${total} (${((100 * n) / total).toFixed(0)}%)`;
  const lines = [
    `| section | examples | ${names.join(' | ')} |`,
    `|---|---:|${names.map(() => '---:').join('|')}|`,
    ...[...sections].map(
      ([section, row]) =>
        `| ${section} | ${row.total} | ${names.map((n) => pct(row[n], row.total)).join(' | ')} |`,
    ),
    `| **all allowed examples** | **${totals.total}** | ${names.map((n) => `**${pct(totals[n], totals.total)}**`).join(' | ')} |`,
  ];
  const rate = totals.chatwire / totals.total;
  return [
    '## CommonMark conformance',
    '',
    `The ${allowed.length} of ${spec.length} CommonMark 0.31.2 spec examples the safety policy allows (raw HTML and`,
    'images excluded), each rendered whole and compared with the spec after normalising (presentation-only',
    'wrappers, classes, the code block header ignored; the same normaliser as `test/markdown/commonmark-conformance.test.ts`,',
    'which lists the examples chatwire does not support and why). `marked` runs with its defaults (GFM on).',
    `Target: chatwire ≥ 95%. This run: **${(100 * rate).toFixed(1)}%** ${rate >= 0.95 ? '✅' : '❌'}.`,
    '',
    ...lines,
  ].join('\n');
}
