// Opening a saved conversation in Chromium: chatwire's `withInitialConversation` against NLUX 2.17.1's
// `withInitialConversation`, in the same page harness and the same run. 200 messages (100 replies of
// about 2,000 markdown characters) and 1,000 messages, and 2 for what any mount costs. Measured from the mount call until the page has
// been quiet for a second (so work deferred past the first frame is counted): main-thread time (CDP
// Performance.getMetrics TaskDuration, and ThreadTime: the thread's CPU time over the same span) and the
// longest task (PerformanceObserver 'longtask'). The clock starts on a page left idle for a while. Also
// checked: the log opens at its newest message, and the browser's find-in-page (`window.find`) reaches
// the oldest reply, which chatwire renders later.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/browser/support/chromium-launch.mjs';
import {
  harnessHtml,
  mainThreadSeconds,
  prepareHarness,
  REST_AFTER_LOAD_MS,
  restAfterLoad,
  serveHarness,
} from './support/chromium-page-harness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = path.join(root, '.bench-tmp', 'mount-saved');
const RUNS = 7;
const QUIET_MS = 1000;

// A page with text of its own, in the system font as most sites (and the examples) use, which both UIs
// then draw in (NLUX's text takes the page's font): the browser's one-time setup of its font system
// falls on the page's first layout, as on any real page, not on whichever UI draws text first.
const HARNESS_HTML = harnessHtml(
  'mount bench',
  '<h1>A page</h1><p>The page the chat is opened in, with text of its own.</p>',
);

const HARNESS_CSS = 'body { font-family: system-ui, sans-serif } #root { width: 720px; height: 640px; }';

// Runs in the page: window.benchMount(lib, items) mounts one UI with the saved conversation.
const HARNESS_JS = `
window.benchLongTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.benchLongTasks.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });
const adapter = { streamText(_message, observer) { observer.complete(); } };
window.benchMount = (lib, items) => {
  const rootEl = document.getElementById('root');
  window.benchStart = performance.now();
  if (lib === 'chatwire') Chatwire.createAiChat().withAdapter(adapter).withInitialConversation(items).mount(rootEl);
  else NluxBench.createAiChat().withAdapter(adapter).withInitialConversation(items).mount(rootEl);
};
window.benchAtNewest = () => {
  // The conversation's scroller: the tallest element that scrolls vertically.
  const log = [...document.querySelectorAll('#root *')]
    .filter((e) => e.scrollHeight > e.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(e).overflowY))
    .sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
  return log ? Math.abs(log.scrollHeight - log.clientHeight - log.scrollTop) <= 30 : false;
};
`;

/** A reply of about 2,000 markdown characters, with a word unique to it. */
function reply(i) {
  const blocks = [
    `## Answer ${i}: what the saved reply holds`,
    `Paragraph with **bold words**, *emphasis*, \`inline code\` and [a link](https://example.com/${i}); the unique word is zqx${i}q.`,
    `- first point of reply ${i} with \`code\`\n- second point with **bold**\n- third point, the last one`,
    `\`\`\`js\nconst value${i} = [1, 2, 3].map((n) => n * ${i});\nconsole.log(value${i});\n\`\`\``,
    `> A quoted line in reply ${i}, with *emphasis* inside it, long enough to wrap once in the log.`,
    `| column | value |\n|---|---|\n| a | ${i} |\n| b | ${i * 2} |`,
  ];
  let text = '';
  for (let k = 0; text.length < 2000; k++) text += `${blocks[k % blocks.length]}\n\n`;
  return text.trim();
}

function conversation(messageCount) {
  const items = [];
  for (let i = 0; i < messageCount / 2; i++) {
    items.push({ role: 'user', message: `Question number ${i}: tell me about part ${i}.` });
    items.push({ role: 'assistant', message: reply(i) });
  }
  return items;
}

/** One mount in a fresh page; returns main-thread ms, the longest task, and the two checks. */
async function runOnce(browser, origin, lib, items) {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    // The page's own text drawn (two frames) before the clock starts.
    await page.evaluate((data) => {
      window.benchItems = data;
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }, items);
    await restAfterLoad();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const before = await mainThreadSeconds(cdp);
    await page.evaluate((name) => window.benchMount(name, window.benchItems), lib);
    // Quiet: no new long task and nothing pending for QUIET_MS (two frames first, so layout has run).
    await page.evaluate(
      (quiet) =>
        new Promise((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, quiet))),
        ),
      QUIET_MS,
    );
    const after = await mainThreadSeconds(cdp);
    const longTasks = await page.evaluate(() =>
      window.benchLongTasks.filter((t) => t.start >= window.benchStart),
    );
    const atNewest = await page.evaluate(() => window.benchAtNewest());
    // The oldest reply's unique word, found by the browser's own find-in-page.
    const found = await page.evaluate(() => window.find('zqx0q', false, false, true));
    // The idle wait itself is not work; TaskDuration counts only tasks that ran.
    return {
      mainThreadMs: (after.task - before.task) * 1000,
      cpuMs: (after.cpu - before.cpu) * 1000,
      longestTaskMs: longTasks.reduce((max, t) => Math.max(max, t.duration), 0),
      atNewest,
      found,
    };
  } finally {
    await page.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${Math.round(value)} ms`;
const longest = (value) => (value > 0 ? ms(value) : 'none over 50 ms');
const yes = (value) => (value ? 'yes' : 'no');

/** Runs of both UIs, taking turns (so a slow moment on the machine falls on both); each UI's medians. */
async function measureBoth(browser, origin, items) {
  const runs = { chatwire: [], nlux: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const lib of i % 2 ? ['nlux', 'chatwire'] : ['chatwire', 'nlux']) {
      runs[lib].push(await runOnce(browser, origin, lib, items));
    }
  }
  return { chatwire: summary(runs.chatwire), nlux: summary(runs.nlux) };
}

function summary(runs) {
  return {
    mainThreadMs: median(runs.map((r) => r.mainThreadMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    longestTaskMs: median(runs.map((r) => r.longestTaskMs)),
    worstTaskMs: Math.max(...runs.map((r) => r.longestTaskMs)),
    atNewest: runs.every((r) => r.atNewest),
    found: runs.every((r) => r.found),
  };
}

/** The bench: returns the markdown section for BENCHMARKS.md. */
export default async function mountSavedBench() {
  const heading = '## Opening a saved conversation in Chromium (chatwire vs NLUX 2.17.1)';
  if (!existsSync(CHROMIUM_PATH)) return `${heading}\n\nSkipped: no Chromium at ${CHROMIUM_PATH}.\n`;
  if (!existsSync(path.join(root, 'dist', 'chatwire.iife.js'))) throw new Error('run `npm run build` first');
  await prepareHarness(tmp, { html: HARNESS_HTML, js: HARNESS_JS, css: HARNESS_CSS });
  const server = await serveHarness(tmp);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    // One discarded run first: the browser's first page pays for compiling the harness and the libraries.
    await runOnce(browser, origin, 'chatwire', conversation(20));
    const rows = [];
    // Two messages first: what opening any conversation costs each UI (its first frame), before the size
    // of the history counts.
    for (const count of [2, 200, 1000]) {
      const items = conversation(count);
      const chars = items.reduce((n, i) => n + i.message.length, 0);
      const { chatwire, nlux } = await measureBoth(browser, origin, items);
      rows.push({ count, chars, chatwire, nlux });
    }
    const lines = [
      heading,
      '',
      'A saved conversation given to each UI at mount (`withInitialConversation` in both): user questions',
      'and markdown replies of about 2,000 characters (headings, lists, code, quotes, tables). Main-thread time',
      `= CDP TaskDuration from the mount call until the page was quiet for ${QUIET_MS / 1000} s after two frames,`,
      `so work deferred past the first frame counts; "CPU time" = the main thread's CPU time (ThreadTime) over the same`,
      `span (the difference is time it waited for one of the 2 cores). Median of ${RUNS} runs each, the two UIs taking turns, fresh page per run, same browser.`,
      `Each page is left idle for ${REST_AFTER_LOAD_MS / 1000} s after loading before the clock starts: for about a second after a page load another`,
      "renderer process of the browser is busy, and the page's tasks then take up to twice their CPU time.",
      'The page shows a heading and a paragraph of its own in the system font, drawn before the clock starts, so the',
      "browser's one-time font setup falls on the page as on any real one (both UIs then draw in that font).",
      '"At newest": the log opens scrolled to its last message. "Find": `window.find` reaches the oldest reply.',
      'Two messages (nothing to scroll) show what opening any conversation costs each UI, before its length counts.',
      '',
      '| messages | characters | UI | main-thread time | CPU time | longest task (worst run) | at newest | find |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const { count, chars, chatwire, nlux } of rows) {
      for (const [name, r] of [
        ['chatwire', chatwire],
        ['NLUX 2.17.1', nlux],
      ]) {
        lines.push(
          `| ${count.toLocaleString('en')} | ${chars.toLocaleString('en')} | ${name} | ${ms(r.mainThreadMs)} | ${ms(r.cpuMs)} | ${longest(r.longestTaskMs)} (${longest(r.worstTaskMs)}) | ${count > 2 ? yes(r.atNewest) : '—'} | ${yes(r.found)} |`,
        );
      }
    }
    lines.push('');
    for (const { count, chatwire, nlux } of rows.filter((row) => row.count > 2)) {
      lines.push(
        `At ${count.toLocaleString('en')} messages chatwire's main-thread time is 1/${(nlux.mainThreadMs / chatwire.mainThreadMs).toFixed(1)} of NLUX's (target: at most 1/10, and no task over 50 ms); its CPU time, 1/${(nlux.cpuMs / chatwire.cpuMs).toFixed(1)}.`,
      );
    }
    return `${lines.join('\n')}\n`;
  } finally {
    await browser.close();
    server.close();
  }
}
