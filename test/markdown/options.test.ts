// @vitest-environment happy-dom
// Every message option has a visible effect in the renderer: link target, copy button (and its
// fallback), the opt-in HTML sanitizer and the syntax highlighter.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMarkdownStream } from '../../src/chat/markdown/index';
import { renderPieces, renderWhole } from './helpers';

const codeBlock = 'Text\n\n```ts\nconst a = 1;\n```\n';

describe('markdown options: markdownLinkTarget', () => {
  it("opens links in a new tab by default and with 'blank'", () => {
    for (const target of [
      renderWhole('[a](https://x.io)'),
      renderWhole('[a](https://x.io)', { markdownLinkTarget: 'blank' }),
    ]) {
      const link = target.querySelector('a')!;
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it("opens links in the same tab with 'self', still with rel", () => {
    const link = renderWhole('<https://x.io>', { markdownLinkTarget: 'self' }).querySelector('a')!;
    expect(link.hasAttribute('target')).toBe(false);
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });
});

describe('markdown options: showCodeBlockCopyButton', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('adds a button named "Copy code" to each fenced block by default', () => {
    const target = document.createElement('div');
    const stream = createMarkdownStream(target);
    stream.push(`${codeBlock}\n~~~\nb\n~~~`);
    stream.end();
    const buttons = target.querySelectorAll('button');
    expect(buttons.length).toBe(2);
    for (const button of buttons) {
      expect(button.getAttribute('aria-label')).toBe('Copy code');
      expect(button.getAttribute('type')).toBe('button');
    }
  });

  it('adds no button when false', () => {
    expect(renderWhole(codeBlock, { showCodeBlockCopyButton: false }).querySelector('button')).toBeNull();
  });

  it('copies the code (without its last newline) with navigator.clipboard', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const target = renderWhole(codeBlock, { showCodeBlockCopyButton: true });
    document.body.appendChild(target);
    const button = target.querySelector('button')!;
    button.click();
    await vi.waitFor(() => expect(button.textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith('const a = 1;');
    target.remove();
  });

  it('selects the code for the reader to copy when the clipboard refuses', async () => {
    const writeText = vi.fn(async (_text: string) => {
      throw new Error('denied');
    });
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const target = renderWhole(codeBlock, { showCodeBlockCopyButton: true });
    document.body.appendChild(target);
    const button = target.querySelector('button')!;
    button.click();
    await vi.waitFor(() => expect(button.textContent).toBe('Press Ctrl+C'));
    expect(window.getSelection()!.toString()).toBe('const a = 1;\n');
    target.remove();
  });

  it('selects the code when there is no Clipboard API at all', () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined });
    const target = renderWhole(codeBlock, { showCodeBlockCopyButton: true });
    document.body.appendChild(target);
    const button = target.querySelector('button')!;
    button.click();
    expect(button.textContent).toBe('Press Ctrl+C');
    expect(window.getSelection()!.toString()).toBe('const a = 1;\n');
    target.remove();
  });
});

describe('markdown options: htmlSanitizer', () => {
  const input =
    'a <kbd>Ctrl</kbd> key<br>\n\n<details>\n<summary>More</summary>\nhidden\n</details>\n\nafter';

  it('renders raw HTML blocks and inline tags after passing them through the sanitizer', () => {
    const seen: string[] = [];
    const sanitizer = (html: string) => {
      seen.push(html);
      return html.replace(/<summary>/, '<summary class="cleaned">');
    };
    const target = renderWhole(input, { htmlSanitizer: sanitizer });
    // A paragraph with inline HTML goes through whole; an HTML block once it is complete.
    expect(seen).toContain('a <kbd>Ctrl</kbd> key<br>');
    expect(seen).toContain('<details>\n<summary>More</summary>\nhidden\n</details>');
    expect(target.querySelector('p kbd')?.textContent).toBe('Ctrl');
    expect(target.querySelector('p br')).not.toBeNull();
    expect(target.querySelector('details summary.cleaned')?.textContent).toBe('More');
    expect(target.lastElementChild?.outerHTML).toBe('<p>after</p>');
    expect(renderPieces(input.split(''), { htmlSanitizer: sanitizer }).innerHTML).toBe(target.innerHTML);
  });

  it('renders only what the sanitizer returns', () => {
    const target = renderWhole('<img src=x onerror=alert(1)>\n\nx <b onclick="y()">b</b>', {
      htmlSanitizer: (html) => html.replace(/<img[^>]*>/g, '').replace(/ on\w+="[^"]*"/g, ''),
    });
    expect(target.innerHTML).toBe('<p>x <b>b</b></p>');
  });

  it('leaves raw HTML as text without a sanitizer', () => {
    expect(renderWhole(input).querySelector('kbd, details, br')).toBeNull();
    expect(renderWhole(input).textContent).toContain('<kbd>Ctrl</kbd>');
  });
});

describe('markdown options: syntaxHighlighter', () => {
  const highlight = (code: string, language: string) => `<span class="hl-${language}">${code.trim()}</span>`;

  it('highlights a fenced block once it is complete, with its code and language', () => {
    const calls: [string, string][] = [];
    const target = document.createElement('div');
    const stream = createMarkdownStream(target, {
      syntaxHighlighter: (code, language) => {
        calls.push([code, language]);
        return highlight(code, language);
      },
    });
    stream.push('```ts\nconst a = 1;\n');
    expect(calls).toEqual([]);
    expect(target.querySelector('code')!.innerHTML).toBe('const a = 1;\n');
    stream.push('```\n\n```py\nprint(1)');
    expect(calls).toEqual([['const a = 1;\n', 'ts']]);
    expect(target.querySelector('code.language-ts')!.innerHTML).toBe(
      '<span class="hl-ts">const a = 1;</span>',
    );
    stream.end();
    expect(calls).toEqual([
      ['const a = 1;\n', 'ts'],
      ['print(1)\n', 'py'],
    ]);
    expect(target.querySelector('code.language-py')!.innerHTML).toBe('<span class="hl-py">print(1)</span>');
  });

  it('passes the highlighted HTML through the sanitizer when there is one', () => {
    const target = renderWhole('```js\nx\n```', {
      syntaxHighlighter: () => '<span class="k">x</span><img src=x onerror=alert(1)>',
      htmlSanitizer: (html) => html.replace(/<img[^>]*>/g, ''),
    });
    expect(target.querySelector('code')!.innerHTML).toBe('<span class="k">x</span>');
  });
});

describe('markdown stream lifecycle', () => {
  it('ignores pushes after end() and a second end()', () => {
    const target = document.createElement('div');
    const stream = createMarkdownStream(target);
    stream.push('*a*');
    stream.end();
    const html = target.innerHTML;
    expect(html).toBe('<p><em>a</em></p>');
    stream.push(' more');
    stream.end();
    expect(target.innerHTML).toBe(html);
  });

  it('renders into a target that already has content by appending after it', () => {
    const target = document.createElement('div');
    target.innerHTML = '<span>before</span>';
    const stream = createMarkdownStream(target);
    stream.push('# x');
    stream.end();
    expect(target.innerHTML).toBe('<span>before</span><h1>x</h1>');
  });
});
