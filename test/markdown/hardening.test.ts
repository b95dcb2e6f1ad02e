// @vitest-environment happy-dom
// Issue 9, the renderer's part: a syntax highlighter cannot be made to inject HTML, a throwing
// highlighter or sanitizer leaves plain text, tiny inputs cannot build a huge table, deep lists
// followed by blank lines cost linear time, and so do replies written to freeze the tab.
import { describe, expect, it } from 'vitest';
import { createMarkdownStream } from '../../src/chat/markdown/index';
import { renderWhole } from './helpers';

const executable = (root: HTMLElement) =>
  [...root.querySelectorAll('*')].filter(
    (e) =>
      /^(img|script|svg|iframe)$/i.test(e.localName) || [...e.attributes].some((a) => /^on/i.test(a.name)),
  );

describe('syntax highlighter output', () => {
  // A highlighter that escapes nothing, as a careless one would.
  const careless = (code: string, language: string) => `<span class="hl">${code}</span><i>${language}</i>`;

  it('cannot put a live element in the page through the code or the language', () => {
    const seen: string[] = [];
    const target = renderWhole('```x"><img/src/onerror=alert(2)>\n<img src=x onerror=alert(1)>\n```', {
      syntaxHighlighter: (code, language) => {
        seen.push(language);
        return careless(code, language);
      },
    });
    expect(executable(target)).toEqual([]);
    // The highlighter gets the cleaned language, never the model's raw info string.
    expect(seen).toEqual(['ximgsrconerroralert2']);
    // Its spans (and their classes) are kept, so highlighting still works without a sanitizer; the
    // element it failed to escape is dropped.
    expect(target.querySelector('code span.hl')).not.toBeNull();
  });

  it('keeps plain text when the highlighter throws (highlight.js on an unknown language)', () => {
    const target = renderWhole('```nope\nlet a = 1;\n```\n\nafter', {
      syntaxHighlighter: () => {
        throw new Error('Unknown language: "nope"');
      },
    });
    expect(target.querySelector('code')?.textContent).toBe('let a = 1;\n');
    expect(target.lastElementChild?.textContent).toBe('after');
  });

  it('keeps plain text when the sanitizer throws, for highlighted code and for raw HTML', () => {
    const target = renderWhole('```js\nx\n```\n\na <b>b</b>', {
      syntaxHighlighter: (code) => `<span>${code}</span>`,
      htmlSanitizer: () => {
        throw new Error('sanitizer failed');
      },
    });
    expect(target.querySelector('code')?.textContent).toBe('x\n');
    expect(target.querySelector('p')?.textContent).toBe('a <b>b</b>');
    expect(target.querySelector('b')).toBeNull();
  });
});

describe('table limits', () => {
  const table = (columns: number, rows: number) =>
    `${'|h'.repeat(columns)}|\n${'|-'.repeat(columns)}|\n${'|\n'.repeat(rows)}`;

  it('a table wider than 64 columns stays text', () => {
    const target = renderWhole(table(65, 10));
    expect(target.querySelector('table')).toBeNull();
    expect(target.querySelectorAll('td, th').length).toBe(0);
  });

  it('a few KB of pipes cannot make more than 20,000 cells; the rest is text', () => {
    const input = table(64, 3000);
    expect(input.length).toBeLessThan(8000);
    const target = renderWhole(input);
    const cells = target.querySelectorAll('td, th').length;
    expect(cells).toBeGreaterThan(19_000);
    expect(cells).toBeLessThanOrEqual(20_000);
    expect(target.querySelector('table + p, .cw-table + p')?.textContent).toContain('|');
  });
});

describe('deep lists followed by blank lines', () => {
  const deepList = (depth: number) =>
    `${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')}\n`;

  // The list is streamed first; only the blank lines that follow are timed (best of several runs, so
  // a pause for garbage collection does not count).
  function blankLinesCost(depth: number, blanks: number) {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      const stream = createMarkdownStream(document.createElement('div'));
      stream.push(deepList(depth));
      const start = performance.now();
      stream.push('\n'.repeat(blanks));
      best = Math.min(best, performance.now() - start);
      stream.end();
    }
    return best;
  }

  // 100,000 blank lines inside a list 10 deep and 250 deep. Matching every open item on every blank
  // line made the deeper one about 25 times dearer (and a reply that nests deeper as it grows,
  // quadratic); a blank line now costs the same at any depth. Measured at about 1 alone and 22
  // without the fix; the bound leaves room for other test files running at the same time.
  it('a blank line costs the same however deep the list is', () => {
    blankLinesCost(10, 100_000);
    expect(blankLinesCost(250, 100_000) / blankLinesCost(10, 100_000)).toBeLessThan(8);
  }, 120_000);
});

// What a model can be made to write (a prompt injection, or a user asking for it) must not freeze the
// tab. Best of five runs each, so a pause for garbage collection does not count.
describe('replies written to be slow', () => {
  function cost(render: () => void) {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      render();
      best = Math.min(best, performance.now() - start);
    }
    return best;
  }

  // A `$` before a non-space opens, but a `$` after a space cannot close, so each `$` searched the rest
  // of the text for a closer; so did `\(` and `\[` with no `\)` or `\]` after them. Each trap is timed
  // against a text of its size that makes the same nodes without searching (a `$` before a space
  // cannot open; `\{` is an escape): about the same cost now, hundreds of times more before.
  it.each([
    ['$1 ', '$ 1'],
    ['\\(', '\\{'],
    ['\\[ a', '\\{ a'],
  ])(
    'unclosed %s math openers cost what plain text does',
    (trap, plain) => {
      const size = 24_000;
      const render = (text: string) => renderWhole(text.repeat(size / text.length));
      render(trap);
      expect(cost(() => render(trap)) / cost(() => render(plain))).toBeLessThan(4);
    },
    60_000,
  );

  // The line still arriving was parsed whole again on every push.
  it('a reply that is one endless line, streamed, costs linear time and renders whole', () => {
    const streamed = (text: string) => {
      const target = document.createElement('div');
      const stream = createMarkdownStream(target);
      for (let i = 0; i < text.length; i += 64) stream.push(text.slice(i, i + 64));
      stream.end();
      return target;
    };
    const line = (size: number) => 'Some *words*, a `span` and $x$ more. '.repeat(size / 38);
    // Linear work grows about 8 times with a text 8 times longer; this grew 64 times and more.
    const small = line(5000);
    const large = line(40_000);
    expect(cost(() => streamed(large)) / cost(() => streamed(small))).toBeLessThan(24);
    expect(streamed(line(5000)).textContent).toBe(renderWhole(line(5000)).textContent);
  }, 60_000);

  it('quotes and lists nest 32 deep at most; deeper markers stay text', () => {
    const quotes = renderWhole(`${'>'.repeat(1000)} deep`);
    expect(quotes.querySelectorAll('blockquote').length).toBe(32);
    expect(quotes.textContent).toContain(`${'>'.repeat(900)} deep`);
    const lists = renderWhole(`${'- '.repeat(1000)}deep`);
    expect(lists.querySelectorAll('li').length).toBeLessThanOrEqual(32);
    expect(lists.textContent).toContain('- - - deep');
  });
});
