// @vitest-environment happy-dom
// What goes beyond CommonMark: GFM strikethrough, task items and bare URLs; math kept whole for an
// optional renderer; entities; and the accessibility of code blocks, tables and the Copy button
// (issue 15 items 4 and 6), with the strings a page can replace.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { markdownStrings } from '../../src/chat/markdown/index';
import { renderPieces, renderWhole } from './helpers';

describe('GFM', () => {
  it('strikes ~~text~~ through and leaves a single ~ alone', () => {
    expect(renderWhole('~~gone~~ ~5 min').innerHTML).toBe('<p><del>gone</del> ~5 min</p>');
  });

  it('shows task items as disabled checkboxes named by their text', () => {
    const boxes = renderWhole('- [ ] write tests\n- [x] ship').querySelectorAll('input');
    expect(boxes.length).toBe(2);
    expect([...boxes].map((b) => [b.type, b.disabled, b.checked, b.getAttribute('aria-label')])).toEqual([
      ['checkbox', true, false, 'write tests'],
      ['checkbox', true, true, 'ship'],
    ]);
  });

  it('links bare https:// and www. URLs with the same rules as links', () => {
    const links = renderWhole(
      'see www.example.com/a, https://x.io/b. and javascript:alert(1)',
    ).querySelectorAll('a');
    expect([...links].map((a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['http://www.example.com/a', 'www.example.com/a'],
      ['https://x.io/b', 'https://x.io/b'],
    ]);
  });
});

describe('math', () => {
  const inputs = 'Inline $a*b*c$ and \\(x_1\\), display $$\\sum_i x_i$$ and \\[e^{i\\pi}\\].';

  it('is kept whole and passed to mathRenderer with display set', () => {
    const calls: [string, boolean][] = [];
    const target = renderWhole(inputs, {
      mathRenderer: (tex, { display }) => {
        calls.push([tex, display]);
        const node = document.createElement('var');
        node.textContent = tex;
        return node;
      },
    });
    expect(calls).toEqual([
      ['a*b*c', false],
      ['x_1', false],
      ['\\sum_i x_i', true],
      ['e^{i\\pi}', true],
    ]);
    expect([...target.querySelectorAll('var')].map((v) => v.textContent)).toEqual(calls.map(([tex]) => tex));
    expect(target.querySelector('em')).toBeNull();
  });

  it('shows as code without a renderer, or when it throws', () => {
    for (const options of [
      {},
      {
        mathRenderer: () => {
          throw new Error('bad TeX');
        },
      },
    ]) {
      const codes = renderWhole(inputs, options).querySelectorAll('code.cw-math');
      expect([...codes].map((c) => c.textContent)).toEqual(['a*b*c', 'x_1', '\\sum_i x_i', 'e^{i\\pi}']);
    }
  });

  it('leaves dollars in prose as text', () => {
    expect(renderWhole('it costs $5 and $10, or $ 3').innerHTML).toBe('<p>it costs $5 and $10, or $ 3</p>');
  });

  it('is split-invariant', () => {
    expect(renderPieces(inputs.split('')).innerHTML).toBe(renderWhole(inputs).innerHTML);
  });
});

describe('entities', () => {
  it('decode to characters, and unknown names stay as written', () => {
    expect(
      renderWhole('&amp; &copy; &#39; &#x1F600; &nosuch; &lt;b&gt;').querySelector('p')?.textContent,
    ).toBe("& © ' 😀 &nosuch; <b>");
  });
});

describe('scrollable code blocks and tables are reachable by keyboard', () => {
  it('a code block is a focusable region named by its language', () => {
    const pres = renderWhole('```js\nx\n```\n\n```\ny\n```').querySelectorAll('pre');
    expect([...pres].map((p) => [p.tabIndex, p.getAttribute('role'), p.getAttribute('aria-label')])).toEqual([
      [0, 'region', 'Code: js'],
      [0, 'region', 'Code'],
    ]);
  });

  it('a table scrolls in a focusable region named "Table"', () => {
    const box = renderWhole('| a |\n|---|\n| 1 |').querySelector('.cw-table')!;
    expect([box.getAttribute('tabindex'), box.getAttribute('role'), box.getAttribute('aria-label')]).toEqual([
      '0',
      'region',
      'Table',
    ]);
  });

  it('uses the strings given in the options', () => {
    const target = renderWhole('```py\nx\n```\n\n| a |\n|---|', {
      showCodeBlockCopyButton: true,
      strings: {
        codeLabel: 'Code en {language}',
        tableLabel: 'Tableau',
        copy: 'Copier',
        copyLabel: 'Copier le code',
      },
    });
    expect(target.querySelector('pre')?.getAttribute('aria-label')).toBe('Code en py');
    expect(target.querySelector('.cw-table')?.getAttribute('aria-label')).toBe('Tableau');
    expect(target.querySelector('button')?.textContent).toBe('Copier');
    expect(target.querySelector('button')?.getAttribute('aria-label')).toBe('Copier le code');
    expect(markdownStrings.copy).toBe('Copy');
  });
});

describe('the Copy button', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('announces "Copied": a polite live button whose name changes', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: async () => {} } });
    const target = renderWhole('```\nx\n```', { showCodeBlockCopyButton: true });
    document.body.appendChild(target);
    const button = target.querySelector('button')!;
    expect(button.getAttribute('aria-live')).toBe('polite');
    button.click();
    await vi.waitFor(() => expect(button.getAttribute('aria-label')).toBe('Copied'));
    expect(button.textContent).toBe('Copied');
    target.remove();
  });

  it('names ⌘C on a Mac and Ctrl+C elsewhere when it falls back to selecting', () => {
    for (const [platform, shortcut] of [
      ['MacIntel', '⌘C'],
      ['Win32', 'Ctrl+C'],
      ['Linux x86_64', 'Ctrl+C'],
    ]) {
      vi.stubGlobal('navigator', { ...navigator, platform, clipboard: undefined });
      const target = renderWhole('```\nx\n```', { showCodeBlockCopyButton: true });
      document.body.appendChild(target);
      const button = target.querySelector('button')!;
      button.click();
      expect(button.textContent).toBe(`Press ${shortcut}`);
      target.remove();
    }
  });
});
