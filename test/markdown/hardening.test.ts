// @vitest-environment happy-dom
// Issue 9, the renderer's part: a syntax highlighter cannot be made to inject HTML, a throwing
// highlighter or sanitizer leaves plain text, tiny inputs cannot build a huge table, and deep lists
// followed by blank lines cost linear time.
import { describe, expect, it } from 'vitest';
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
  const deepList = (depth: number, blanks: number) =>
    `${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')}${'\n'.repeat(blanks)}end`;

  // Best of several runs, so a pause for garbage collection does not count.
  function time(input: string) {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      renderWhole(input);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  }

  // What 60,000 blank lines cost inside a list 20 deep and 200 deep. Matching every open item on
  // every blank line made the deeper one about ten times dearer (and a reply that nests deeper as it
  // grows, quadratic); a blank line now costs the same at any depth.
  it('a blank line costs the same however deep the list is', () => {
    const blanks = 60_000;
    const cost = (depth: number) => time(deepList(depth, blanks)) - time(deepList(depth, 0));
    cost(20);
    expect(cost(200) / cost(20)).toBeLessThan(3);
  });
});
