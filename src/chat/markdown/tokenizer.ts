// The block structure of streamed markdown: containers (blockquotes, list items) and leaves
// (paragraphs, headings, fenced code, tables, rules). Text arrives one character at a time; only the
// start of a line is held until it is clear what the line starts (a list marker, a fence, a table
// row…), and a possible table header line is held until the next line says whether it is one.
// Nothing already handed to the renderer is ever taken back.
import { createInlineParser } from './inline-parser';
import { type Container, classifyLine, type Decision, type Leaf } from './line-start';
import { createRowWriter } from './table-row';
import type { CellAlign, Renderer, Token } from './tokens';

/** Streams markdown text into renderer calls. */
export interface Tokenizer {
  /** Feeds the next piece of text; the work is proportional to the piece. */
  write(chunk: string): void;
  /** The text is complete: settles the last line and closes everything still open. */
  end(): void;
}

/** Options that change what the tokenizer emits. */
export interface TokenizerOptions {
  /** Emit raw HTML (blocks and inline tags) through `renderer.html` instead of as text. */
  rawHtml?: boolean;
}

/** Creates a tokenizer that turns streamed markdown into calls on `renderer`. */
export function createTokenizer(renderer: Renderer, options: TokenizerOptions = {}): Tokenizer {
  const rawHtml = options.rawHtml === true;
  const inline = createInlineParser(renderer, rawHtml);
  const stack: Container[] = [];
  let leaf: Leaf | null = null;
  // A line that may be a table header, held until the next line shows whether a delimiter row follows.
  let held: { text: string; cells: number; continues: boolean } | null = null;
  let mode: 'line' | 'inline' | 'code' | 'row' = 'line';
  let pending = '';
  // The lines of a code block (streamed out at the end of each write) or of a raw HTML block
  // (handed over whole when it ends, since the sanitizer needs complete elements).
  let code = '';
  let hardBreak = false;
  const row = createRowWriter(renderer, inline);
  let ended = false;

  // --- applying what line-start.ts decided about a line --------------------------------------------

  /** Records that the innermost list item now holds a block, so its next paragraph gets a <p>. */
  function markBlock() {
    const top = stack[stack.length - 1];
    if (top?.kind === 'item') top.hasBlock = true;
  }

  function openBlock(token: Token) {
    markBlock();
    renderer.open(token);
  }

  function closeLeaf() {
    const current = leaf;
    leaf = null;
    if (current === null) return;
    if (current.kind === 'html') {
      renderer.html(code.trimEnd());
      code = '';
      return;
    }
    if (current.kind === 'fence') flushCode();
    // A table closes its body, then itself.
    else if (current.kind === 'table') renderer.close();
    else inline.finish();
    // A list item's implicit paragraph has no element of its own to close.
    if (current.kind !== 'paragraph' || !current.implicit) renderer.close();
  }

  /** Closes containers from the innermost down to `depth`; a list item at `depth` may keep its list. */
  function closeContainers(depth: number, keepList: boolean) {
    while (stack.length > depth) {
      const container = stack.pop()!;
      renderer.close();
      if (container.kind === 'item' && !(keepList && stack.length === depth)) renderer.close();
    }
  }

  function openParagraph() {
    const top = stack[stack.length - 1];
    // A list item's first paragraph is its own text (a tight list), later ones are <p>.
    const implicit = top?.kind === 'item' && !top.hasBlock;
    markBlock();
    if (!implicit) renderer.open({ type: 'paragraph' });
    leaf = { kind: 'paragraph', implicit };
  }

  /** The held line was not a table header after all: it is paragraph text, continuing one if it can. */
  function flushHeld() {
    if (held === null) return;
    const { text, continues } = held;
    held = null;
    if (continues && leaf?.kind === 'paragraph') inline.lineBreak(hardBreak);
    else openParagraph();
    inline.step('|');
    for (let i = 0; i < text.length; i++) inline.step(text[i]!);
    hardBreak = inline.lineEnd();
  }

  function flushCode() {
    if (code !== '') {
      renderer.text(code);
      code = '';
    }
  }

  function apply(d: Decision, rest: string) {
    const start = d.start;
    switch (start.kind) {
      case 'code-line':
        mode = 'code';
        return;
      case 'fence-close':
        closeLeaf();
        return;
      case 'table': {
        const header = held!.text;
        held = null;
        closeLeaf();
        openBlock({ type: 'table' });
        renderer.open({ type: 'table-head' });
        row.start(true, start.aligns);
        for (let i = 0; i < header.length; i++) row.char(header[i]!);
        row.end();
        renderer.close();
        renderer.open({ type: 'table-body' });
        leaf = start;
        return;
      }
      case 'row': {
        row.start(false, (leaf as { aligns: CellAlign[] }).aligns);
        mode = 'row';
        return;
      }
      case 'continuation':
        inline.lineBreak(hardBreak);
        mode = 'inline';
        return;
      case 'candidate':
        held = { ...start, text: rest };
        // The paragraph stays open: if this is not a table header, the line continues it.
        if (start.continues) return;
    }

    // Everything else starts a new block: close what the line does not continue, open what it adds.
    const first = d.opens[0];
    const continued = stack[d.matched];
    // An item with the same marker as the one it replaces continues that item's list.
    const sibling = first?.kind === 'item' && continued?.kind === 'item' && continued.marker === first.marker;
    closeLeaf();
    closeContainers(d.matched, sibling);
    d.opens.forEach((container, i) => {
      if (container.kind === 'quote') {
        openBlock({ type: 'blockquote' });
        stack.push(container);
        return;
      }
      if (i > 0 || !sibling) {
        openBlock({ type: 'list', ordered: container.ordered, start: container.start });
      }
      renderer.open({ type: 'item' });
      stack.push({ kind: 'item', indent: container.indent, marker: container.marker, hasBlock: false });
    });

    switch (start.kind) {
      case 'paragraph':
        openParagraph();
        mode = 'inline';
        return;
      case 'heading':
        openBlock({ type: 'heading', level: start.level });
        leaf = start;
        mode = 'inline';
        return;
      case 'rule':
        openBlock({ type: 'rule' });
        renderer.close();
        return;
      case 'fence':
        openBlock({ type: 'code-block', language: start.language });
        leaf = start;
        return;
      case 'html':
        markBlock();
        leaf = start;
        mode = 'code';
        return;
    }
  }

  // --- the character loop -----------------------------------------------------------------------

  function decideLine(eol: boolean) {
    for (;;) {
      const d = classifyLine(pending, eol, { stack, leaf, held, rawHtml });
      if (d === null) return;
      if (d.start.kind === 'not-table') {
        // The held line was not a table header after all: it becomes text, and this line is read
        // again now that a paragraph is open (it may continue it).
        flushHeld();
        continue;
      }
      const rest = pending.slice(d.consumed);
      pending = '';
      apply(d, rest);
      if (mode !== 'line') for (let i = 0; i < rest.length; i++) step(rest[i]!);
      if (eol) endLine();
      return;
    }
  }

  function endLine() {
    // A heading is one line long.
    if (leaf?.kind === 'heading') closeLeaf();
    else if (mode === 'inline') hardBreak = inline.lineEnd();
    else if (mode === 'code') code += '\n';
    else if (mode === 'row') row.end();
    mode = 'line';
  }

  function step(ch: string) {
    if (mode === 'line') {
      if (ch === '\n') decideLine(true);
      else {
        pending += ch;
        // Re-reading the held line start on every character is quadratic for a long one (a row
        // of dashes, a fence's info string); past 32 characters it is re-read only when its length
        // doubles, which keeps the total work linear and the decision point independent of how
        // the text was split.
        const n = pending.length;
        if (n <= 32 || (n & (n - 1)) === 0) decideLine(false);
      }
    } else if (ch === '\n') endLine();
    else if (mode === 'inline') inline.step(ch);
    else if (mode === 'code') code += ch;
    else row.char(ch);
  }

  return {
    write(chunk) {
      if (ended) return;
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk[i]!;
        // CR is dropped so that CRLF line endings read like LF.
        if (ch === '\r') continue;
        step(ch);
      }
      inline.flush();
      if (leaf?.kind === 'fence') flushCode();
    },
    end() {
      if (ended) return;
      ended = true;
      if (mode === 'line') {
        if (pending !== '') decideLine(true);
      } else endLine();
      flushHeld();
      closeLeaf();
      closeContainers(0, false);
    },
  };
}
