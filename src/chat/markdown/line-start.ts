// Deciding what a line is: which open containers it continues, which it opens (blockquotes, list
// items) and what block it starts or continues. Only this needs to look ahead, and only within the
// current line.
import { countCells, parseDelimiterRow } from './table-row';
import type { CellAlign } from './tokens';

/**
 * An open container; `indent` is the column a list item's content starts at, relative to its parent.
 * `marker` is the bullet, or the delimiter after an ordered number: a different one starts a new list.
 */
export type Container =
  | { kind: 'quote' }
  | { kind: 'item'; indent: number; marker: string; hasBlock: boolean };

/** A container the line opens. */
export type NewContainer =
  | { kind: 'quote' }
  | { kind: 'item'; marker: string; ordered: boolean; start: number; indent: number };

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
  | { kind: 'html' };

/** The open leaf block that receives the line's content: the line start that opened it, or a paragraph. */
export type Leaf =
  | { kind: 'paragraph'; implicit: boolean }
  | Extract<LineStart, { kind: 'heading' | 'fence' | 'table' | 'html' }>;

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
  if (leaf?.kind === 'fence' && stack.slice(matched).every((c) => c.kind === 'item')) {
    let p = pos;
    while (p - pos < leaf.indent && s[p] === ' ') p++;
    // Up to three spaces, a run of fence characters, spaces: a closing fence if the run matches.
    const fence = /^ {0,3}(`+|~+)? *$/.exec(s.slice(p));
    if (fence !== null) {
      if (!eol) return null;
      const run = fence[1];
      if (run?.[0] === leaf.fence && run.length >= leaf.length)
        return decide(s.length, { kind: 'fence-close' });
    }
    return decide(p, { kind: 'code-line' });
  }

  if (held !== null) {
    if (matched < stack.length || /[^ \t|:-]/.test(s.slice(pos))) return decide(0, { kind: 'not-table' });
    if (!eol) return null;
    const aligns = parseDelimiterRow(s.slice(pos));
    if (aligns?.length !== held.cells) return decide(0, { kind: 'not-table' });
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
    // The block's lines are buffered like code lines.
    if (p < s.length) return decide(pos, { kind: 'code-line' });
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

    const rest = s.slice(p);

    // Only one of -*_ and spaces so far: a thematic break if there are three, once the line ends.
    if (/^([-*_])(?:[ \t]|\1)*$/.test(rest)) {
      if (!eol) return null;
      if (rest.split(c).length > 3) return decide(s.length, { kind: 'rule' }, opens);
    }

    // A bullet, or up to nine digits and '.' or ')', then spaces or the line's end. The item's
    // content is needed to know where its content column is.
    const marker = /^(?:[-*+]|(\d{1,9})[.)])(?=[ \t]|$)/.exec(rest);
    if (!eol && (marker ? /^[ \t]*$/.test(rest.slice(marker[0].length)) : /^\d{1,9}$/.test(rest)))
      return null;
    if (marker) {
      const markerEnd = p + marker[0].length;
      let q = markerEnd;
      while (s[q] === ' ' || s[q] === '\t') q++;
      const gap = columns(s, markerEnd, q);
      // Content after 5+ spaces is indented code in CommonMark; the item's content column is
      // then just past the marker and one space.
      const contentGap = q === s.length || gap > 4 ? 1 : gap;
      const number = marker[1];
      opens.push({
        kind: 'item',
        marker: marker[0].slice(-1),
        ordered: number !== undefined,
        start: Number(number ?? 1),
        indent: indent + marker[0].length + contentGap,
      });
      p = Math.min(markerEnd + contentGap, q);
      continue;
    }

    const heading = /^#{1,6}(?=[ \t]|$)/.exec(rest);
    if (!eol && /^#+$/.test(rest)) return null;
    if (heading) {
      const level = heading[0].length as 1 | 2 | 3 | 4 | 5 | 6;
      return decide(p + level, { kind: 'heading', level }, opens);
    }

    // A fence is read whole: its info string says whether it is one (no backtick after backticks).
    const fence = /^(`{3,}|~{3,})(.*)/.exec(rest);
    if (!eol && (fence || /^(`+|~+)$/.test(rest))) return null;
    if (fence && (c === '~' || !fence[2]!.includes('`'))) {
      const language = fence[2]!.trim().split(/\s/)[0] ?? '';
      return decide(s.length, { kind: 'fence', fence: c, length: fence[1]!.length, indent, language }, opens);
    }

    const lazy = opens.length === 0 && leaf?.kind === 'paragraph';
    if (c === '|' && leaf?.kind !== 'table') {
      if (!eol) return null;
      return decide(p + 1, { kind: 'candidate', cells: countCells(s.slice(p + 1)), continues: lazy }, opens);
    }

    if (rawHtml) {
      if (rest === '<' && !eol) return null;
      if (/^<[a-z/!?]/i.test(rest)) return decide(p, { kind: 'html' }, opens);
    }

    return decide(p, { kind: lazy ? 'continuation' : 'paragraph' }, opens);
  }
}
