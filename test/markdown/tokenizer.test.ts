// The tokenizer on its own, with no DOM: what it emits after each piece of text (it emits early and
// holds back only an undecided line start), and that its opens and closes always balance.
import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../../src/chat/markdown/tokenizer';
import type { Renderer, Token } from '../../src/chat/markdown/tokens';
import { renderCases } from './cases';
import { mixedDocument, randomSplit } from './helpers';

/** Records renderer calls as a compact string: `[list]`…`[/]`, text as is, html as `{…}`. */
function recorder() {
  let out = '';
  const open: Token['type'][] = [];
  let unbalanced = false;
  const renderer: Renderer = {
    open(token) {
      open.push(token.type);
      const detail =
        'level' in token
          ? token.level
          : 'language' in token
            ? `:${token.language}`
            : 'href' in token
              ? ` ${token.href}`
              : '';
      out += `[${token.type}${detail}]`;
    },
    close() {
      if (open.pop() === undefined) unbalanced = true;
      out += '[/]';
    },
    text(text) {
      out += text;
    },
    html(html) {
      out += `{${html}}`;
    },
  };
  return { renderer, output: () => out, openCount: () => open.length, unbalanced: () => unbalanced };
}

function tokenize(pieces: string[], rawHtml = false) {
  const r = recorder();
  const tokenizer = createTokenizer(r.renderer, { rawHtml });
  for (const piece of pieces) tokenizer.write(piece);
  tokenizer.end();
  return r;
}

describe('markdown tokenizer', () => {
  it('balances every open with a close, for every construct and the mixed document', () => {
    for (const input of [...renderCases.map((c) => c.input), mixedDocument()]) {
      const r = tokenize(randomSplit(input, 9, 5));
      expect(r.unbalanced(), input).toBe(false);
      expect(r.openCount(), input).toBe(0);
    }
  });

  it('emits the same tokens whatever the split', () => {
    const doc = mixedDocument();
    const whole = tokenize([doc]).output();
    expect(tokenize(doc.split('')).output()).toBe(whole);
    expect(tokenize(randomSplit(doc, 3, 30)).output()).toBe(whole);
  });

  it('emits text as soon as the line start is decided', () => {
    const r = recorder();
    const tokenizer = createTokenizer(r.renderer);
    tokenizer.write('-');
    expect(r.output()).toBe('');
    tokenizer.write(' it');
    expect(r.output()).toBe('[list][item]it');
    tokenizer.write('em *emph');
    expect(r.output()).toBe('[list][item]item [emphasis]emph');
    tokenizer.write('*\n\n#');
    expect(r.output()).toBe('[list][item]item [emphasis]emph[/]');
    tokenizer.write('## Title');
    expect(r.output()).toBe('[list][item]item [emphasis]emph[/][/][/][heading3]Title');
    tokenizer.end();
    expect(r.output()).toBe('[list][item]item [emphasis]emph[/][/][/][heading3]Title[/]');
  });

  it('opens a code block when its fence line ends and streams its lines', () => {
    const r = recorder();
    const tokenizer = createTokenizer(r.renderer);
    tokenizer.write('```py');
    expect(r.output()).toBe('');
    tokenizer.write('\nprint(');
    expect(r.output()).toBe('[code-block:py]print(');
    tokenizer.write('1)\n``');
    expect(r.output()).toBe('[code-block:py]print(1)\n');
    tokenizer.write('`\n');
    expect(r.output()).toBe('[code-block:py]print(1)\n[/]');
    tokenizer.end();
  });

  it('holds a possible table header until the next line decides', () => {
    const r = recorder();
    const tokenizer = createTokenizer(r.renderer);
    tokenizer.write('| a | b |\n');
    expect(r.output()).toBe('');
    tokenizer.write('|--');
    expect(r.output()).toBe('');
    tokenizer.write('-|---|\n| 1');
    expect(r.output()).toBe('[table][table-head][row][cell]a[/][cell]b[/][/][/][table-body][row][cell]1');
    tokenizer.end();
    expect(r.output()).toMatch(/\[cell\]1\[\/\]\[cell\]\[\/\]\[\/\]\[\/\]\[\/\]$/);
  });

  it('gives a held header back as text as soon as the next line cannot be a delimiter row', () => {
    const r = recorder();
    const tokenizer = createTokenizer(r.renderer);
    tokenizer.write('| a |\nx');
    expect(r.output()).toBe('[paragraph]| a |\nx');
    tokenizer.end();
  });

  it('hands raw HTML to the renderer only when asked to', () => {
    expect(tokenize(['a <b>x</b>'], true).output()).toBe('[paragraph]a {<b>x</b>}[/]');
    expect(tokenize(['a <b>x</b>'], false).output()).toBe('[paragraph]a <b>x</b>[/]');
  });

  it('makes only allowed link destinations into links', () => {
    expect(tokenize(['[a](https://x.io) [b](javascript:x) [c](./rel)']).output()).toBe(
      '[paragraph][link https://x.io]a[/] b [link ./rel]c[/][/]',
    );
  });
});
