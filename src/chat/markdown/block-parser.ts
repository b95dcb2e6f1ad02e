// The block structure of streamed markdown (CommonMark §4–5, GFM tables), one complete line at a
// time, as CommonMark's own two-phase algorithm describes it (appendix "A parsing strategy"): match
// the open containers, look for new block starts, add the rest of the line to the open leaf.
//
// Streaming: a line is incorporated once its line ending arrives. Blocks that close are final and
// never touched again; the open leaf is re-rendered from its text after each push, and the line still
// arriving is shown as a preview (paragraph text, a list item's or quote's first words, code) that the
// next push replaces. A paragraph turning into a setext heading or a table, a list turning loose, and
// a link whose reference definition comes later are the only changes to blocks already shown.
import { unescapeText } from './entities';
import { type Inline, parseInlines } from './inline-parser';
import { type LineScanner, scanLine } from './line-scanner';
import { type References, takeDefinitions } from './link-syntax';
import type { CellAlign } from './table-row';
import { delimiterRow, splitRow } from './table-row';

/** A block of the document; the renderer keeps its element in `view`. */
export interface Block {
  type: 'document' | 'quote' | 'list' | 'item' | 'paragraph' | 'heading' | 'code' | 'html' | 'rule' | 'table';
  parent: Block | null;
  children: Block[];
  open: boolean;
  /** The line the block started on, and the last line that gave it content (for loose lists). */
  start: number;
  last: number;
  /** Lists and items: ordered, the bullet or delimiter character, the start number. */
  ordered: boolean;
  marker: string;
  startNumber: number;
  /** Items: where the marker is and how far its content is indented past it. */
  markerOffset: number;
  padding: number;
  /** Lists: no blank line between items or between an item's blocks (CommonMark §5.3). */
  tight: boolean;
  level: number;
  /** Code: fenced or indented; the fence; the first word of the info string. */
  fenced: boolean;
  fence: string;
  fenceOffset: number;
  language: string;
  /** Paragraph, heading, code and HTML text; table column alignments. */
  text: string;
  aligns: CellAlign[];
  /** Length of `text` when its inline content was last rendered (long paragraphs render less often). */
  rendered: number;
  view: unknown;
}

/** What the block parser asks of a renderer. The parser never touches the DOM. */
export interface BlockRenderer {
  /** `block` was added as the last child of its parent (or, for a preview, at the end of it). */
  add(block: Block): void;
  /** The block changed type in place (paragraph → heading), or a list became loose. */
  retype(block: Block): void;
  /**
   * The inline content of a paragraph or heading is now the children of `content`. `task` is set for
   * an item's first paragraph that starts with `[ ]` (false) or `[x]` (true), a GFM task list item.
   */
  inlines(block: Block, content: Inline, task: boolean | null): void;
  /**
   * A code block's text is now `text` followed by `tail`, a line still arriving. `text` only grows
   * (except once, when an indented block loses its trailing blank lines), so it can be appended.
   */
  code(block: Block, text: string, tail: string): void;
  /** Appends a table row. */
  row(table: Block, cells: Inline[], header: boolean): void;
  /** The block is complete. */
  close(block: Block): void;
  /** The block turned out to be nothing (a paragraph of only link definitions), or was a preview. */
  remove(block: Block): void;
}

/** Limits on what a reply can make the page build. */
export interface BlockLimits {
  /** Columns a table may have; a wider one stays text. */
  maxTableColumns: number;
  /** Table cells in one reply; rows beyond it are shown as text. */
  maxTableCells: number;
}

const maybeSpecial = /^[#`~*+_=<>0-9|-]/;
const thematicBreak = /^(?:\*[ \t]*){3,}$|^(?:_[ \t]*){3,}$|^(?:-[ \t]*){3,}$/;
const atxHeading = /^#{1,6}(?:[ \t]+|$)/;
const openingFence = /^`{3,}(?!.*`)|^~{3,}/;
const closingFence = /^(?:`{3,}|~{3,})(?=[ \t]*$)/;
const setextUnderline = /^(?:=+|-+)[ \t]*$/;
const htmlBlockStart = /^<(?:\/?[a-zA-Z][\w-]*(?:[\s/>]|$)|!--|\?|![A-Z])/;

/** Streams lines into blocks. */
export interface BlockParser {
  write(chunk: string): void;
  end(): void;
}

/** Creates a block parser rendering through `renderer`. `rawHtml` keeps HTML blocks as HTML. */
export function createBlockParser(
  renderer: BlockRenderer,
  rawHtml: boolean,
  limits: BlockLimits,
): BlockParser {
  const references: References = new Map();
  // Closed blocks that used a reference label not defined yet, by label: a later definition re-renders them.
  const waiting = new Map<string, Set<Block>>();
  const block = (type: Block['type'], parent: Block | null, start: number): Block => ({
    type,
    parent,
    children: [],
    open: true,
    start,
    last: start,
    ordered: false,
    marker: '',
    startNumber: 1,
    markerOffset: 0,
    padding: 0,
    tight: true,
    level: 0,
    fenced: false,
    fence: '',
    fenceOffset: 0,
    language: '',
    text: '',
    aligns: [],
    rendered: -1,
    view: null,
  });
  const document = block('document', null, 0);
  // The open blocks, from the document to the innermost ("tip").
  const chain: Block[] = [document];
  let lineNumber = 0;
  let partial = '';
  let cells = 0;
  let ended = false;
  // The first block shown for the line still arriving.
  let previewing: Block | undefined;

  const tip = () => chain[chain.length - 1]!;
  // For each open block, the first one at or above it in the chain that a blank line closes (-1 for
  // none): a blank line is then matched in O(1) instead of walking every open container, which made
  // deep lists followed by blank lines quadratic.
  const stops: number[] = [-1];
  const closesOnBlank = (b: Block) =>
    b.type === 'item' ? b.children.length === 0 : b.type !== 'list' && b.type !== 'code';
  function restop(i: number) {
    const below = i > 0 ? stops[i - 1]! : -1;
    stops[i] = below >= 0 ? below : i > 0 && closesOnBlank(chain[i]!) ? i : -1;
  }
  function pushChain(b: Block) {
    chain.push(b);
    // The parent may have been an item without children until now.
    restop(chain.length - 2);
    restop(chain.length - 1);
  }
  function popChain() {
    chain.pop();
    stops.length = chain.length;
    restop(chain.length - 1);
  }

  // The last line of content in `b` or its last descendants.
  function lastLine(b: Block): number {
    let last = b.last;
    for (let c = b.children[b.children.length - 1]; c; c = c.children[c.children.length - 1])
      last = Math.max(last, c.last);
    return last;
  }

  function renderLeaf(b: Block, extra = '') {
    if (b.type !== 'paragraph' && b.type !== 'heading') return;
    let text = extra === '' ? b.text : `${b.text}\n${extra}`;
    // While open, definitions at its start are not shown; they take effect when it closes.
    if (b.open && b.type === 'paragraph') text = takeDefinitions(text, new Map());
    text = text.trim();
    let task: boolean | null = null;
    const marker = /^\[([ xX])\][ \t]+(?=\S)/.exec(text);
    if (marker && b.parent!.type === 'item' && b.parent!.children[0] === b) {
      task = marker[1] !== ' ';
      text = text.slice(marker[0].length);
    }
    const { root, missing } = parseInlines(text, { references, rawHtml });
    b.rendered = b.text.length + (extra === '' ? 0 : extra.length + 1);
    renderer.inlines(b, root, task);
    for (const label of missing) waiting.set(label, (waiting.get(label) ?? new Set()).add(b));
  }

  /** Takes the definitions at the start of a paragraph; blocks waiting for them are rendered again. */
  function define(paragraph: Block) {
    const before = new Set(references.keys());
    paragraph.text = takeDefinitions(paragraph.text, references);
    for (const label of references.keys()) {
      if (before.has(label)) continue;
      const blocks = waiting.get(label);
      waiting.delete(label);
      for (const b of blocks ?? []) renderLeaf(b);
    }
  }

  function removeBlock(b: Block) {
    const siblings = b.parent!.children;
    siblings.splice(siblings.indexOf(b), 1);
    renderer.remove(b);
  }

  function finalize(b: Block) {
    b.open = false;
    popChain();
    if (b.type === 'paragraph') {
      define(b);
      if (b.text.trim() === '') {
        removeBlock(b);
        return;
      }
      renderLeaf(b);
    } else if (b.type === 'code' && !b.fenced) {
      // Trailing blank lines are not part of an indented code block.
      b.text = b.text.replace(/(?:\n[ \t]*)+$/, '\n');
    }
    if (b.type === 'code') renderer.code(b, b.text, '');
    renderer.close(b);
  }

  function closeTo(depth: number) {
    while (chain.length > depth) finalize(tip());
  }

  const canContain = (parent: Block, type: Block['type']) =>
    parent.type === 'list'
      ? type === 'item'
      : ['document', 'quote', 'item'].includes(parent.type) && type !== 'item';

  function add(type: Block['type'], setup?: (b: Block) => void): Block {
    while (!canContain(tip(), type)) finalize(tip());
    const parent = tip();
    const b = block(type, parent, lineNumber);
    setup?.(b);
    const previous = parent.children[parent.children.length - 1];
    parent.children.push(b);
    pushChain(b);
    // A blank line between two items, or between two blocks of an item, makes the list loose.
    const list = parent.type === 'list' ? parent : parent.type === 'item' ? parent.parent! : null;
    if (list?.tight && previous && b.start > lastLine(previous) + 1) {
      list.tight = false;
      renderer.add(b);
      renderer.retype(list);
      return b;
    }
    renderer.add(b);
    return b;
  }

  // --- continuing open blocks (pure: only the scanner moves) ---------------------------------------

  /** 'yes' the block continues, 'no' it does not, 'closed' the line was its closing fence. */
  function continues(b: Block, s: LineScanner): 'yes' | 'no' | 'closed' {
    const indented = s.indent >= 4;
    switch (b.type) {
      case 'quote':
        if (indented || s.line[s.nextNonspace] !== '>') return 'no';
        s.advanceToNextNonspace();
        s.advance(1, false);
        if (s.line[s.offset] === ' ' || s.line[s.offset] === '\t') s.advance(1, true);
        return 'yes';
      case 'item':
        if (s.blank) {
          // An item can begin with at most one blank line.
          if (b.children.length === 0) return 'no';
          s.advanceToNextNonspace();
          return 'yes';
        }
        if (s.indent < b.markerOffset + b.padding) return 'no';
        s.advance(b.markerOffset + b.padding, true);
        return 'yes';
      case 'code':
        if (b.fenced) {
          const fence = indented ? null : closingFence.exec(s.line.slice(s.nextNonspace));
          if (fence && fence[0][0] === b.fence[0] && fence[0].length >= b.fence.length) return 'closed';
          for (let i = b.fenceOffset; i > 0 && (s.line[s.offset] === ' ' || s.line[s.offset] === '\t'); i--)
            s.advance(1, true);
          return 'yes';
        }
        if (indented) s.advance(4, true);
        else if (s.blank) s.advanceToNextNonspace();
        else return 'no';
        return 'yes';
      case 'paragraph':
      case 'table':
      case 'html':
        return s.blank ? 'no' : 'yes';
      case 'document':
      case 'list':
        return 'yes';
      default:
        return 'no';
    }
  }

  /** Reads a list marker at the scanner (§5.2); moves past it and its spaces when there is one. */
  function listMarker(s: LineScanner, interrupting: boolean) {
    if (s.indent >= 4) return null;
    const rest = s.line.slice(s.nextNonspace);
    const m = /^[*+-]|^(\d{1,9})([.)])/.exec(rest);
    if (m === null) return null;
    const after = rest[m[0].length];
    if (after !== undefined && after !== ' ' && after !== '\t') return null;
    // Only an item starting with "1." and with content can interrupt a paragraph.
    if (interrupting && ((m[1] !== undefined && m[1] !== '1') || /^[ \t]*$/.test(rest.slice(m[0].length))))
      return null;
    const markerOffset = s.indent;
    s.advanceToNextNonspace();
    s.advance(m[0].length, true);
    const startColumn = s.column;
    const startOffset = s.offset;
    do s.advance(1, true);
    while (s.column - startColumn < 5 && (s.line[s.offset] === ' ' || s.line[s.offset] === '\t'));
    const spaces = s.column - startColumn;
    let padding = m[0].length + spaces;
    if (spaces >= 5 || spaces < 1 || s.offset >= s.line.length) {
      // Content after 5+ spaces is indented code: the item's content starts one space after the marker.
      padding = m[0].length + 1;
      s.column = startColumn;
      s.offset = startOffset;
      s.partialTab = false;
      if (s.line[s.offset] === ' ' || s.line[s.offset] === '\t') s.advance(1, true);
    }
    return {
      ordered: m[1] !== undefined,
      marker: m[2] ?? m[0],
      startNumber: Number(m[1] ?? 1),
      markerOffset,
      padding,
    };
  }

  const listsMatch = (list: Block, item: { ordered: boolean; marker: string }) =>
    list.type === 'list' && list.ordered === item.ordered && list.marker === item.marker;

  // --- one complete line ---------------------------------------------------------------------------

  function incorporate(line: string) {
    lineNumber++;
    const s = scanLine(line);
    let depth = 1;
    // Whitespace in a blank line is content of a code block, so only other blank lines take the shortcut.
    if (s.blank && tip().type !== 'code') {
      const stop = stops[chain.length - 1]!;
      depth = stop >= 0 ? stop : chain.length;
      s.advanceToNextNonspace();
    } else
      for (; depth < chain.length; depth++) {
        s.findNextNonspace();
        const verdict = continues(chain[depth]!, s);
        if (verdict === 'no') break;
        if (verdict === 'closed') {
          chain[depth]!.last = lineNumber;
          closeTo(depth);
          return;
        }
      }
    // chain[0..depth) continue; the rest stay open until something closes them (or a lazy line continues).
    let container = chain[depth - 1]!;
    let unmatched = depth < chain.length;
    const closeUnmatched = () => {
      if (unmatched) closeTo(depth);
      unmatched = false;
    };
    const start = (type: Block['type'], setup?: (b: Block) => void) => {
      closeUnmatched();
      container = add(type, setup);
      depth = chain.length;
      return container;
    };

    while (container.type !== 'code' && container.type !== 'html') {
      s.findNextNonspace();
      const indented = s.indent >= 4;
      const rest = line.slice(s.nextNonspace);
      if (!indented && !maybeSpecial.test(rest)) break;
      if (!indented && rest[0] === '>') {
        s.advanceToNextNonspace();
        s.advance(1, false);
        if (s.line[s.offset] === ' ' || s.line[s.offset] === '\t') s.advance(1, true);
        start('quote');
        continue;
      }
      const atx = indented ? null : atxHeading.exec(rest);
      if (atx) {
        s.advanceToNextNonspace();
        s.advance(atx[0].length, false);
        const heading = start('heading', (b) => {
          b.level = atx[0].trim().length;
        });
        heading.text = s
          .rest()
          .replace(/^[ \t]*#+[ \t]*$/, '')
          .replace(/[ \t]+#+[ \t]*$/, '');
        renderLeaf(heading);
        closeTo(depth - 1);
        return;
      }
      const opening = indented ? null : openingFence.exec(rest);
      if (opening) {
        const fence = opening[0];
        start('code', (b) => {
          b.fenced = true;
          b.fence = fence;
          b.fenceOffset = s.indent;
          b.language = unescapeInfo(rest.slice(fence.length));
        });
        container.last = lineNumber;
        return;
      }
      if (rawHtml && !indented && container.type !== 'paragraph' && htmlBlockStart.test(rest)) {
        start('html');
        break;
      }
      if (!indented && container.type === 'paragraph' && !unmatched && setextUnderline.test(rest)) {
        define(container);
        if (container.text.trim() !== '') {
          container.type = 'heading';
          container.level = rest[0] === '=' ? 1 : 2;
          container.last = lineNumber;
          renderer.retype(container);
          renderLeaf(container);
          closeTo(depth - 1);
          return;
        }
      }
      if (!indented && container.type === 'paragraph' && !unmatched && tableStart(container, rest)) return;
      if (!indented && thematicBreak.test(rest)) {
        start('rule');
        container.last = lineNumber;
        closeTo(depth - 1);
        return;
      }
      if (!indented || container.type === 'list') {
        const item = listMarker(s, container.type === 'paragraph');
        if (item) {
          closeUnmatched();
          if (!listsMatch(tip(), item)) start('list', (b) => Object.assign(b, item));
          start('item', (b) => Object.assign(b, item));
          continue;
        }
      }
      if (indented && tip().type !== 'paragraph' && !s.blank) {
        s.advance(4, true);
        start('code');
        break;
      }
      break;
    }

    s.findNextNonspace();
    const leaf = tip();
    if (unmatched && !s.blank && leaf.type === 'paragraph') {
      // A lazy continuation line (§5.1): paragraph text goes on even without the container markers.
      leaf.text += `\n${s.rest()}`;
      leaf.last = lineNumber;
      return;
    }
    closeUnmatched();
    if (container.type === 'code') {
      container.text += `${s.rest()}\n`;
      if (container.fenced || !s.blank) container.last = lineNumber;
    } else if (container.type === 'html') {
      container.text += `${line}\n`;
      container.last = lineNumber;
    } else if (container.type === 'paragraph') {
      container.text += `\n${s.rest()}`;
      container.last = lineNumber;
    } else if (container.type === 'table') {
      tableRow(container, s.rest());
    } else if (!s.blank) {
      s.advanceToNextNonspace();
      const paragraph = start('paragraph');
      paragraph.text = s.rest();
    } else if (container.type === 'quote' || (container.type === 'item' && container.start === lineNumber)) {
      // A quote line with only '>' and an item's empty first line are content, not blank lines.
      container.last = lineNumber;
    }
  }

  // --- GFM tables ----------------------------------------------------------------------------------

  // The paragraph's last line is a header row if this line is a delimiter row with as many cells.
  function tableStart(paragraph: Block, line: string): boolean {
    const aligns = delimiterRow(line);
    if (aligns === null || aligns.length > limits.maxTableColumns) return false;
    const newline = paragraph.text.lastIndexOf('\n');
    const header = splitRow(paragraph.text.slice(newline + 1));
    if (header.length !== aligns.length || cells + aligns.length > limits.maxTableCells) return false;
    if (newline === -1) {
      popChain();
      removeBlock(paragraph);
    } else {
      paragraph.text = paragraph.text.slice(0, newline);
      finalize(paragraph);
    }
    const table = add('table', (b) => {
      b.aligns = aligns;
    });
    table.last = lineNumber;
    cells += aligns.length;
    renderer.row(table, parseCells(header, aligns.length), true);
    return true;
  }

  function tableRow(table: Block, line: string) {
    const columns = table.aligns.length;
    if (cells + columns > limits.maxTableCells) {
      // Past the reply's cell budget, rows are shown as text: a few KB cannot build a huge DOM.
      finalize(table);
      const paragraph = add('paragraph');
      paragraph.text = line.trim();
      return;
    }
    cells += columns;
    table.last = lineNumber;
    renderer.row(table, parseCells(splitRow(line), columns), false);
  }

  const parseCells = (row: string[], columns: number) =>
    Array.from(
      { length: columns },
      (_, i) => parseInlines((row[i] ?? '').replace(/\\\|/g, '|'), { references, rawHtml }).root,
    );

  // --- the line still arriving ---------------------------------------------------------------------

  // Shows `line` (no line ending yet) as what it will most likely be: more code, more paragraph text,
  // or a new paragraph, list item or quote. Anything still ambiguous (a fence, a rule, a heading
  // underline, a table row) waits for its line ending.
  function preview(line: string): string | null {
    const s = scanLine(line);
    let depth = 1;
    for (; depth < chain.length; depth++) {
      s.findNextNonspace();
      const verdict = continues(chain[depth]!, s);
      if (verdict === 'no') break;
      if (verdict === 'closed') return null;
    }
    const container = chain[depth - 1]!;
    s.findNextNonspace();
    if (container.type === 'code') {
      if (!(container.fenced && /^[ \t]*(?:`+|~+)[ \t]*$/.test(line)))
        renderer.code(container, container.text, s.rest());
      return null;
    }
    if (container.type === 'html' || container.type === 'table') return null;
    // The new containers the line opens; they go into the document once the line is complete.
    const opens: Block[] = [];
    for (;;) {
      s.findNextNonspace();
      if (s.indent >= 4) return null;
      if (s.line[s.nextNonspace] === '>') {
        s.advanceToNextNonspace();
        s.advance(1, false);
        if (s.line[s.offset] === ' ') s.advance(1, true);
        opens.push(block('quote', null, 0));
        continue;
      }
      const rest = line.slice(s.nextNonspace);
      if (thematicBreak.test(rest) || /^[-*+]$|^\d{1,9}[.)]?$/.test(rest)) return null;
      const item = listMarker(s, opens.length === 0 && container.type === 'paragraph');
      if (item === null) break;
      opens.push(Object.assign(block('item', null, 0), item));
    }
    const rest = line.slice(s.nextNonspace);
    if (rest === '' || /^(?:[#`~|=<]|[-*_]{1,2}$|[-_*][ \t])/.test(rest)) return null;
    if (opens.length === 0 && tip().type === 'paragraph') return rest;
    // Where the new blocks would go: the line closes whatever cannot hold them.
    const first = opens[0];
    let parent = container;
    while (!(first?.type === 'item' && listsMatch(parent, first)) && !canContain(parent, 'paragraph'))
      parent = parent.parent!;
    const show = (b: Block) => {
      b.parent = parent;
      renderer.add(b);
      previewing ??= b;
      parent = b;
    };
    for (const b of opens) {
      if (b.type === 'item' && !listsMatch(parent, b)) show({ ...b, type: 'list' });
      show(b);
    }
    const paragraph = block('paragraph', null, 0);
    show(paragraph);
    renderer.inlines(paragraph, parseInlines(rest.trim(), { references, rawHtml }).root, null);
    return null;
  }

  function clearPreview() {
    if (previewing) renderer.remove(previewing);
    previewing = undefined;
  }

  function flush() {
    const leaf = tip();
    clearPreview();
    const extra = partial === '' ? null : preview(partial.replace(/\r$/, ''));
    if (partial === '' && leaf.type === 'code') renderer.code(leaf, leaf.text, '');
    // A long paragraph is rendered again only when it has grown by an eighth, which keeps a reply
    // that is one huge paragraph linear; it is always rendered in full when it closes.
    if (leaf.type === 'paragraph') {
      const size = leaf.text.length + (extra === null ? 0 : extra.length + 1);
      if (size !== leaf.rendered && (size < 4096 || Math.abs(size - leaf.rendered) > size / 8))
        renderLeaf(leaf, extra ?? '');
    }
  }

  return {
    write(chunk) {
      if (ended || chunk === '') return;
      let from = 0;
      for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
        incorporate((partial + chunk.slice(from, nl)).replace(/\r$/, ''));
        partial = '';
        from = nl + 1;
      }
      partial += chunk.slice(from);
      flush();
    },
    end() {
      if (ended) return;
      ended = true;
      clearPreview();
      if (partial !== '') incorporate(partial.replace(/\r$/, ''));
      partial = '';
      closeTo(1);
    },
  };
}

// The info string's first word, with escapes and entities applied (§4.5).
function unescapeInfo(info: string): string {
  return unescapeText(info.trim()).split(/[ \t]/)[0] ?? '';
}
