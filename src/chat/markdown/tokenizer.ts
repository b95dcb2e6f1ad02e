// The block structure of streamed markdown: containers (blockquotes, list items) and leaves
// (paragraphs, headings, fenced code, tables, rules). Text arrives one character at a time; only the
// start of a line is held until it is clear what the line starts (a list marker, a fence, a table
// row…), and a possible table header line is held until the next line says whether it is one.
// Nothing already handed to the renderer is ever taken back.
import { createInlineParser } from './inline-parser';
import type { CellAlign, Renderer } from './tokens';

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

interface List {
  ordered: boolean;
  /** Bullet character, or the delimiter after an ordered number: a different one starts a new list. */
  marker: string;
}

type Container = { kind: 'quote' } | { kind: 'item'; indent: number; list: List; hasBlock: boolean };

type Leaf =
  | { kind: 'paragraph'; implicit: boolean }
  | { kind: 'heading' }
  | { kind: 'code'; fence: string; length: number; indent: number }
  | { kind: 'table'; aligns: CellAlign[]; body: boolean }
  | { kind: 'html'; html: string };

type NewContainer = { kind: 'quote' } | { kind: 'item'; list: List; start: number; indent: number };

type LineStart =
  | { kind: 'blank' }
  | { kind: 'paragraph' }
  | { kind: 'continuation' }
  | { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6 }
  | { kind: 'rule' }
  | { kind: 'fence'; fence: string; length: number; indent: number; language: string }
  | { kind: 'code-line' }
  | { kind: 'fence-close' }
  | { kind: 'candidate'; cells: number; continues: boolean }
  | { kind: 'table'; aligns: CellAlign[] }
  | { kind: 'not-table' }
  | { kind: 'row' }
  | { kind: 'html' }
  | { kind: 'html-line' };

interface Decision {
  /** Characters of the line taken by container markers and the block's own marker. */
  consumed: number;
  /** How many open containers the line continues. */
  matched: number;
  opens: NewContainer[];
  start: LineStart;
}

const delimiterCell = /^:?-+:?$/;

/** Counts the cells of a table row (the text after its leading pipe), honouring `\|`. */
function countCells(row: string): number {
  let cells = 1;
  let last = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') {
      cells++;
      last = '';
      continue;
    }
    last += row[i] ?? '';
  }
  return last.trim() === '' ? cells - 1 : cells;
}

/** Reads a delimiter row (`|:--|--:|`) into alignments, or null if it is not one. */
function parseDelimiterRow(line: string): CellAlign[] | null {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|')) row = row.slice(0, -1);
  const aligns: CellAlign[] = [];
  for (const raw of row.split('|')) {
    const cell = raw.trim();
    if (!delimiterCell.test(cell)) return null;
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    aligns.push(left && right ? 'center' : right ? 'right' : left ? 'left' : null);
  }
  return aligns;
}

const columns = (s: string, from: number, to: number) => {
  let width = 0;
  for (let i = from; i < to; i++) width += s[i] === '\t' ? 4 : 1;
  return width;
};

/** Creates a tokenizer that turns streamed markdown into calls on `renderer`. */
export function createTokenizer(renderer: Renderer, options: TokenizerOptions = {}): Tokenizer {
  const rawHtml = options.rawHtml === true;
  const inline = createInlineParser(renderer, rawHtml);
  const stack: Container[] = [];
  let leaf: Leaf | null = null;
  // A line that may be a table header, held until the next line shows whether a delimiter row follows.
  let held: { text: string; cells: number; continues: boolean } | null = null;
  let mode: 'line' | 'inline' | 'code' | 'row' | 'html' = 'line';
  let pending = '';
  let code = '';
  let hardBreak = false;
  let row = { header: false, cell: 0, open: false, aligns: [] as CellAlign[] };
  let ended = false;

  // --- deciding what a line is -------------------------------------------------------------------

  /** Returns what the line `s` starts, or null while more characters are needed to tell. */
  function classify(s: string, eol: boolean): Decision | null {
    let pos = 0;
    let matched = 0;
    for (; matched < stack.length; matched++) {
      const container = stack[matched]!;
      if (container.kind === 'quote') {
        let p = pos;
        while (p - pos < 3 && s[p] === ' ') p++;
        if (p === s.length && !eol) return null;
        if (s[p] !== '>') break;
        p++;
        if (p === s.length && !eol) return null;
        if (s[p] === ' ') p++;
        pos = p;
      } else {
        let p = pos;
        while (columns(s, pos, p) < container.indent && (s[p] === ' ' || s[p] === '\t')) p++;
        if (columns(s, pos, p) >= container.indent) pos = p;
        else if (p === s.length) {
          if (!eol) return null;
          pos = p; // a blank line keeps list items open
        } else break;
      }
    }
    const decide = (consumed: number, start: LineStart, opens: NewContainer[] = []): Decision => ({
      consumed,
      matched,
      opens,
      start,
    });

    // Inside fenced code only a closing fence ends the block, or a blockquote the line leaves. List
    // indentation is forgiven: models often under-indent code inside list items.
    if (leaf?.kind === 'code' && stack.slice(matched).every((c) => c.kind === 'item')) {
      let p = pos;
      while (p - pos < leaf.indent && s[p] === ' ') p++;
      let q = p;
      while (q - p < 3 && s[q] === ' ') q++;
      let r = q;
      while (s[r] === leaf.fence) r++;
      let t = r;
      if (r > q) while (s[t] === ' ') t++;
      if (t === s.length) {
        if (!eol) return null;
        if (r - q >= leaf.length) return decide(s.length, { kind: 'fence-close' });
      }
      return decide(p, { kind: 'code-line' });
    }

    if (held !== null) {
      if (matched < stack.length) return decide(0, { kind: 'not-table' });
      for (let p = pos; p < s.length; p++)
        if (!' \t|:-'.includes(s[p]!)) return decide(0, { kind: 'not-table' });
      if (!eol) return null;
      const aligns = parseDelimiterRow(s.slice(pos));
      if (aligns === null || aligns.length !== held.cells) return decide(0, { kind: 'not-table' });
      return decide(s.length, { kind: 'table', aligns });
    }

    if (leaf?.kind === 'table' && matched === stack.length) {
      let p = pos;
      while (p - pos < 3 && s[p] === ' ') p++;
      if (p === s.length && !eol) return null;
      if (s[p] === '|') return decide(p + 1, { kind: 'row' });
    }

    if (leaf?.kind === 'html' && matched === stack.length) {
      let p = pos;
      while (s[p] === ' ' || s[p] === '\t') p++;
      if (p === s.length && !eol) return null;
      if (p < s.length) return decide(pos, { kind: 'html-line' });
    }

    const opens: NewContainer[] = [];
    let p = pos;
    for (;;) {
      const lineStart = p;
      while (s[p] === ' ' || s[p] === '\t') p++;
      const indent = columns(s, lineStart, p);
      if (p === s.length) return eol ? decide(p, { kind: 'blank' }, opens) : null;
      const c = s[p]!;

      if (c === '>') {
        p++;
        if (p === s.length && !eol) return null;
        if (s[p] === ' ') p++;
        opens.push({ kind: 'quote' });
        continue;
      }

      if (c === '-' || c === '*' || c === '_') {
        let q = p;
        let count = 0;
        while (s[q] === c || s[q] === ' ' || s[q] === '\t') if (s[q++] === c) count++;
        if (q === s.length) {
          if (!eol) return null;
          if (count >= 3) return decide(q, { kind: 'rule' }, opens);
        }
      }

      let markerEnd = -1;
      let list: List | null = null;
      let start = 1;
      if (c === '-' || c === '*' || c === '+') {
        markerEnd = p + 1;
        list = { ordered: false, marker: c };
      } else if (c >= '0' && c <= '9') {
        let q = p;
        while (q - p < 9 && s[q]! >= '0' && s[q]! <= '9') q++;
        if (q === s.length && !eol) return null;
        if (s[q] === '.' || s[q] === ')') {
          markerEnd = q + 1;
          list = { ordered: true, marker: s[q]! };
          start = Number(s.slice(p, q));
        }
      }
      if (list !== null) {
        if (markerEnd === s.length && !eol) return null;
        if (markerEnd === s.length || s[markerEnd] === ' ' || s[markerEnd] === '\t') {
          let q = markerEnd;
          while (s[q] === ' ' || s[q] === '\t') q++;
          if (q === s.length && !eol) return null;
          const gap = columns(s, markerEnd, q);
          // Content after 5+ spaces is indented code in CommonMark; the item's content column is
          // then just past the marker and one space.
          const contentGap = q === s.length || gap > 4 ? 1 : gap;
          opens.push({ kind: 'item', list, start, indent: indent + (markerEnd - p) + contentGap });
          p = Math.min(markerEnd + contentGap, q);
          continue;
        }
      }

      if (c === '#') {
        let q = p;
        while (s[q] === '#') q++;
        if (q === s.length && !eol) return null;
        const level = q - p;
        if (level <= 6 && (q === s.length || s[q] === ' ' || s[q] === '\t')) {
          return decide(q, { kind: 'heading', level: level as 1 | 2 | 3 | 4 | 5 | 6 }, opens);
        }
      }

      if (c === '`' || c === '~') {
        let q = p;
        while (s[q] === c) q++;
        if (q === s.length && !eol) return null;
        if (q - p >= 3) {
          if (!eol) return null;
          const info = s.slice(q).trim();
          if (c === '~' || !info.includes('`')) {
            const language = info.split(/\s/)[0] ?? '';
            return decide(s.length, { kind: 'fence', fence: c, length: q - p, indent, language }, opens);
          }
        }
      }

      const lazy = opens.length === 0 && leaf?.kind === 'paragraph';
      if (c === '|' && leaf?.kind !== 'table') {
        if (!eol) return null;
        return decide(
          p + 1,
          { kind: 'candidate', cells: countCells(s.slice(p + 1)), continues: lazy },
          opens,
        );
      }

      if (c === '<' && rawHtml) {
        if (p + 1 === s.length && !eol) return null;
        if (/[A-Za-z/!?]/.test(s[p + 1] ?? '')) return decide(p, { kind: 'html' }, opens);
      }

      return decide(p, { kind: lazy ? 'continuation' : 'paragraph' }, opens);
    }
  }

  // --- applying a decision ----------------------------------------------------------------------

  /** Records that the innermost list item now holds a block, so its next paragraph gets a <p>. */
  function markBlock() {
    const top = stack[stack.length - 1];
    if (top?.kind === 'item') top.hasBlock = true;
  }

  function closeLeaf() {
    const current = leaf;
    leaf = null;
    if (current === null) return;
    switch (current.kind) {
      case 'paragraph':
        inline.finish();
        if (!current.implicit) renderer.close();
        break;
      case 'heading':
        inline.finish();
        renderer.close();
        break;
      case 'code':
        flushCode();
        renderer.close();
        break;
      case 'table':
        if (current.body) renderer.close();
        renderer.close();
        break;
      case 'html':
        if (current.html.trim() !== '') renderer.html(current.html.trimEnd());
        break;
    }
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

  function startRow(header: boolean, aligns: CellAlign[]) {
    renderer.open({ type: 'row' });
    row = { header, cell: 0, open: false, aligns };
  }

  function openCell() {
    renderer.open({ type: 'cell', header: row.header, align: row.aligns[row.cell] ?? null });
    row.open = true;
  }

  function closeCell() {
    inline.finish();
    renderer.close();
    row.open = false;
    row.cell++;
  }

  function rowChar(ch: string) {
    if (!row.open) {
      // GFM drops cells beyond the header's count.
      if (row.cell >= row.aligns.length || ch === ' ' || ch === '\t') return;
      openCell();
      if (ch === '|') {
        closeCell();
        return;
      }
    }
    if (ch === '|' && !inline.escaping) closeCell();
    else inline.step(ch);
  }

  function endRow() {
    if (row.open) closeCell();
    while (row.cell < row.aligns.length) {
      openCell();
      closeCell();
    }
    renderer.close();
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
      case 'html-line':
        mode = 'html';
        return;
      case 'table': {
        const header = held!.text;
        held = null;
        closeLeaf();
        markBlock();
        renderer.open({ type: 'table' });
        renderer.open({ type: 'table-head' });
        startRow(true, start.aligns);
        for (let i = 0; i < header.length; i++) rowChar(header[i]!);
        endRow();
        renderer.close();
        leaf = { kind: 'table', aligns: start.aligns, body: false };
        return;
      }
      case 'row': {
        const table = leaf as { kind: 'table'; aligns: CellAlign[]; body: boolean };
        if (!table.body) renderer.open({ type: 'table-body' });
        table.body = true;
        startRow(false, table.aligns);
        mode = 'row';
        return;
      }
      case 'continuation':
        inline.lineBreak(hardBreak);
        mode = 'inline';
        return;
      case 'candidate':
        if (start.continues) {
          // The paragraph stays open: if this is not a table header, the line continues it.
          held = { text: rest, cells: start.cells, continues: true };
          return;
        }
    }

    // Everything else starts a new block: close what the line does not continue, open what it adds.
    const first = d.opens[0];
    const continued = stack[d.matched];
    const sibling =
      first?.kind === 'item' &&
      continued?.kind === 'item' &&
      continued.list.ordered === first.list.ordered &&
      continued.list.marker === first.list.marker;
    closeLeaf();
    closeContainers(d.matched, sibling);
    d.opens.forEach((container, i) => {
      if (container.kind === 'quote') {
        markBlock();
        renderer.open({ type: 'blockquote' });
        stack.push({ kind: 'quote' });
        return;
      }
      let list = container.list;
      if (i === 0 && sibling) list = (continued as { list: List }).list;
      else {
        markBlock();
        renderer.open({ type: 'list', ordered: list.ordered, start: container.start });
      }
      renderer.open({ type: 'item' });
      stack.push({ kind: 'item', indent: container.indent, list, hasBlock: false });
    });

    switch (start.kind) {
      case 'paragraph':
        openParagraph();
        mode = 'inline';
        return;
      case 'heading':
        markBlock();
        renderer.open({ type: 'heading', level: start.level });
        leaf = { kind: 'heading' };
        mode = 'inline';
        return;
      case 'rule':
        markBlock();
        renderer.open({ type: 'rule' });
        renderer.close();
        return;
      case 'fence':
        markBlock();
        renderer.open({ type: 'code-block', language: start.language });
        leaf = { kind: 'code', fence: start.fence, length: start.length, indent: start.indent };
        return;
      case 'candidate':
        held = { text: rest, cells: start.cells, continues: false };
        return;
      case 'html':
        markBlock();
        leaf = { kind: 'html', html: '' };
        mode = 'html';
        return;
    }
  }

  // --- the character loop -----------------------------------------------------------------------

  function decideLine(eol: boolean) {
    for (;;) {
      const d = classify(pending, eol);
      if (d === null) return;
      if (d.start.kind === 'not-table') {
        // The held line was not a table header after all: it becomes text, and this line is read
        // again now that a paragraph is open (it may continue it).
        flushHeld();
        continue;
      }
      const line = pending;
      pending = '';
      const rest = line.slice(d.consumed);
      apply(d, rest);
      if (mode !== 'line') for (let i = 0; i < rest.length; i++) step(rest[i]!);
      if (eol) endLine();
      return;
    }
  }

  function endLine() {
    switch (mode) {
      case 'inline':
        if (leaf?.kind === 'heading') closeLeaf();
        else hardBreak = inline.lineEnd();
        break;
      case 'code':
        code += '\n';
        break;
      case 'row':
        endRow();
        break;
      case 'html':
        if (leaf?.kind === 'html') leaf.html += '\n';
        break;
    }
    mode = 'line';
  }

  function step(ch: string) {
    switch (mode) {
      case 'line':
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
        return;
      case 'inline':
        if (ch === '\n') endLine();
        else inline.step(ch);
        return;
      case 'code':
        if (ch === '\n') endLine();
        else code += ch;
        return;
      case 'row':
        if (ch === '\n') endLine();
        else rowChar(ch);
        return;
      case 'html':
        if (ch === '\n') endLine();
        else if (leaf?.kind === 'html') leaf.html += ch;
        return;
    }
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
      flushCode();
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
      inline.flush();
    },
  };
}
