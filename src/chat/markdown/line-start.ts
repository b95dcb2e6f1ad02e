// Deciding what a line is: which open containers it continues, which it opens (blockquotes, list
// items) and what block it starts or continues. Only this needs to look ahead, and only within the
// current line.
import { countCells, parseDelimiterRow } from './table-row';
import type { CellAlign } from './tokens';

/** A list's identity: an item with a different marker starts a new list. */
export interface List {
  ordered: boolean;
  /** Bullet character, or the delimiter after an ordered number: a different one starts a new list. */
  marker: string;
}

/** An open container; `indent` is the column a list item's content starts at, relative to its parent. */
export type Container = { kind: 'quote' } | { kind: 'item'; indent: number; list: List; hasBlock: boolean };

/** The open leaf block that receives the line's content. */
export type Leaf =
  | { kind: 'paragraph'; implicit: boolean }
  | { kind: 'heading' }
  | { kind: 'code'; fence: string; length: number; indent: number }
  | { kind: 'table'; aligns: CellAlign[]; body: boolean }
  | { kind: 'html'; html: string };

/** A container the line opens. */
export type NewContainer = { kind: 'quote' } | { kind: 'item'; list: List; start: number; indent: number };

/** What the rest of the line is, once its container markers are taken off. */
export type LineStart =
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

/** The verdict on one line. */
export interface Decision {
  /** Characters of the line taken by container markers and the block's own marker. */
  consumed: number;
  /** How many open containers the line continues. */
  matched: number;
  /** Containers the line opens, outermost first. */
  opens: NewContainer[];
  start: LineStart;
}

/** What the tokenizer has open, as far as deciding the next line is concerned. */
export interface BlockState {
  stack: readonly Container[];
  leaf: Leaf | null;
  /** Cell count of a line held as a possible table header. */
  held: { cells: number } | null;
  rawHtml: boolean;
}

// Tabs count as four columns (not to the next tab stop): enough for the indentation models write.
const columns = (s: string, from: number, to: number) => {
  let width = 0;
  for (let i = from; i < to; i++) width += s[i] === '\t' ? 4 : 1;
  return width;
};

/**
 * Returns what the line `s` (without its newline) starts, or null while more characters are needed
 * to tell. `eol` says the line is complete. Pure: it may be asked again as the line grows.
 */
export function classifyLine(s: string, eol: boolean, state: BlockState): Decision | null {
  const { stack, leaf, held, rawHtml } = state;
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
      return decide(p + 1, { kind: 'candidate', cells: countCells(s.slice(p + 1)), continues: lazy }, opens);
    }

    if (c === '<' && rawHtml) {
      if (p + 1 === s.length && !eol) return null;
      if (/[A-Za-z/!?]/.test(s[p + 1] ?? '')) return decide(p, { kind: 'html' }, opens);
    }

    return decide(p, { kind: lazy ? 'continuation' : 'paragraph' }, opens);
  }
}
