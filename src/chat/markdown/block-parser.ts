// The block structure of streamed markdown (CommonMark §4–5, GFM tables), one complete line at a
// time, as CommonMark's own two-phase algorithm describes it (appendix "A parsing strategy"): match
// the open containers, look for new block starts, add the rest of the line to the open leaf.
//
// Streaming: a line is incorporated once its line ending arrives. Blocks that close are final and
// never touched again; the open leaf is re-rendered from its text after each push, and the line still
// arriving is shown as a preview (paragraph text, a list item's or quote's first words, code) whose
// elements stay while the line grows with the same container markers, and go when the line ends. A
// paragraph turning into a setext heading or a table, a list turning loose, and a link whose reference
// definition comes later are the only changes to blocks already shown.
import { unescapeText } from './entities';
import { type Inline, parseInlines } from './inline-parser';
import { type References, takeDefinitions } from './link-syntax';
import { type CellAlign, delimiterRow, splitRow } from './table-row';

/** A block of the document; fields past `text` belong to some types only. */
export interface Block {
  type: 'document' | 'quote' | 'list' | 'item' | 'paragraph' | 'heading' | 'code' | 'html' | 'rule' | 'table';
  parent: Block | null;
  children: Block[];
  open: boolean;
  /** The line the block started on, and the last line that gave it content (for loose lists). */
  start: number;
  last: number;
  /** Paragraph, heading, code and HTML text. */
  text: string;
  /** Length of `text` when its inline content was last rendered (long paragraphs render less often). */
  rendered: number;
  /** Lists and items: ordered, the bullet or delimiter character, the start number. */
  ordered?: boolean;
  marker?: string;
  startNumber?: number;
  /** Items: the column their content starts at, relative to the container. */
  contentIndent?: number;
  /** Lists: a blank line between items or between an item's blocks (CommonMark §5.3). */
  loose?: boolean;
  level?: number;
  /** Fenced code: the fence and its indentation; the first word of the info string. */
  fence?: string;
  fenceOffset?: number;
  language?: string;
  /** Tables: the column alignments. */
  aligns?: CellAlign[];
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

// A few KB of pipes can ask for hundreds of thousands of cells; past these, a table stays text.
/** Columns a table may have; a wider one stays text. */
const maxTableColumns = 64;
/** Table cells in one reply; rows beyond it are shown as text. */
const maxTableCells = 20_000;
/** Open containers (quotes, lists, items) a line may be inside; deeper markers are text. */
const maxNesting = 32;

/**
 * Whether text grown from `last` to `size` characters can wait to be shown again: past 4 KB, until it
 * grew by an eighth, so that a paragraph or a line (a reply can be one endless line) costs linear time.
 */
const unchanged = (size: number, last: number) => size === last || (size >= 4096 && size - last <= size / 8);

const maybeSpecial = /^[#`~*+_=<>0-9|-]/;
const thematicBreak = /^(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$/;
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
export function createBlockParser(renderer: BlockRenderer, rawHtml: boolean): BlockParser {
  const references: References = new Map();
  const inlineOptions = { references, rawHtml };
  // Closed blocks that used a reference label not defined yet, by label: a later definition re-renders them.
  const waiting = new Map<string, Set<Block>>();
  const block = (type: Block['type'], parent: Block | null = null): Block => ({
    type,
    parent,
    children: [],
    open: true,
    start: lineNumber,
    last: lineNumber,
    text: '',
    rendered: 0,
  });
  let lineNumber = 0;
  const document = block('document');
  // The open blocks, from the document to the innermost ("tip").
  const chain: Block[] = [document];
  let partial = '';
  // How long `partial` was when last shown (see `unchanged`).
  let shown = 0;
  let cells = 0;
  let ended = false;
  // The first block shown for the line still arriving, its paragraph, and the container markers that
  // decided its shape: while they stay, later pieces of the line only refill the paragraph.
  let previewing: Block | undefined;
  let previewParagraph: Block;
  let previewMarkers = '';

  // --- reading one line (§2.2, §4) ----------------------------------------------------------------
  // A position that moves over container markers, and columns that count tabs to the next multiple
  // of four, so that a tab can be partly consumed by one container and partly left as indentation.
  let line = '';
  let offset = 0;
  let column = 0;
  /** The first non-space character from `offset`, its column, and the indentation up to it. */
  let nextNonspace = 0;
  let nextNonspaceColumn = 0;
  let indent = 0;
  let blank = false;
  /** The last complete line was blank. */
  let previousBlank = false;

  function scan(text: string) {
    // A line ending is "\n" or "\r\n".
    line = text.replace(/\r$/, '');
    offset = column = 0;
    findNextNonspace();
  }
  function findNextNonspace() {
    let i = offset;
    let cols = column;
    for (let c = line[i]; c === ' ' || c === '\t'; c = line[++i]) cols += c === '\t' ? 4 - (cols % 4) : 1;
    blank = i >= line.length;
    nextNonspace = i;
    nextNonspaceColumn = cols;
    indent = cols - column;
  }
  // Moves forward `count` columns; a tab counts its width, and is consumed whole.
  function advance(count: number) {
    while (count > 0 && offset < line.length) {
      const width = line[offset++] === '\t' ? 4 - (column % 4) : 1;
      column += width;
      count -= width;
    }
  }
  function toNextNonspace() {
    offset = nextNonspace;
    column = nextNonspaceColumn;
  }
  const spaceAt = () => line[offset] === ' ' || line[offset] === '\t';
  // The '>' of a block quote and one optional space after it.
  function quoteMarker() {
    toNextNonspace();
    advance(1);
    if (spaceAt()) advance(1);
  }
  const rest = () => line.slice(offset);

  const tip = () => chain[chain.length - 1]!;
  // Renders a paragraph's or heading's inline content, with `extra` as one more line. After a push
  // (`growing`) it is rendered again only when not `unchanged`; it is always rendered in full when it closes.
  function renderLeaf(b: Block, extra?: string, growing?: boolean) {
    if (b.type !== 'paragraph' && b.type !== 'heading') return;
    let text = extra === undefined ? b.text : `${b.text}\n${extra}`;
    const size = text.length;
    if (growing && unchanged(size, b.rendered)) return;
    b.rendered = size;
    // While open, definitions at its start are not shown; they take effect when it closes.
    if (b.open && b.type === 'paragraph') text = takeDefinitions(text, new Map());
    text = text.trim();
    let task: boolean | null = null;
    const marker = /^\[([ xX])\][ \t]+(?=\S)/.exec(text);
    if (marker && b.parent!.type === 'item' && b.parent!.children[0] === b) {
      task = marker[1] !== ' ';
      text = text.slice(marker[0].length);
    }
    const { root, missing } = parseInlines(text, inlineOptions);
    renderer.inlines(b, root, task);
    for (const label of missing) waiting.set(label, (waiting.get(label) ?? new Set()).add(b));
  }

  /** Takes the definitions at the start of a paragraph; blocks waiting for them are rendered again. */
  function define(paragraph: Block) {
    const before = references.size;
    paragraph.text = takeDefinitions(paragraph.text, references);
    // A Map iterates in insertion order: the labels defined just now are the last ones.
    for (const label of [...references.keys()].slice(before)) {
      for (const b of waiting.get(label) ?? []) renderLeaf(b);
      waiting.delete(label);
    }
  }

  // The block is the tip, so the last child of its parent.
  function removeBlock(b: Block) {
    b.parent!.children.pop();
    renderer.remove(b);
  }

  function finalize(b: Block) {
    b.open = false;
    chain.pop();
    if (b.type === 'paragraph') {
      define(b);
      if (!b.text.trim()) return removeBlock(b);
      renderLeaf(b);
    }
    if (b.type === 'code') {
      // Trailing blank lines are not part of an indented code block.
      if (!b.fence) b.text = b.text.replace(/(?:\n[ \t]*)+$/, '\n');
      renderer.code(b, b.text, '');
    }
    renderer.close(b);
  }

  function closeTo(depth: number) {
    while (chain.length > depth) finalize(tip());
  }

  const canContain = (parent: Block, type: Block['type']) =>
    parent.type === 'list'
      ? type === 'item'
      : ['document', 'quote', 'item'].includes(parent.type) && type !== 'item';

  function add(type: Block['type'], setup?: Partial<Block>): Block {
    while (!canContain(tip(), type)) finalize(tip());
    const parent = tip();
    const b = Object.assign(block(type, parent), setup);
    const previous = parent.children[parent.children.length - 1];
    parent.children.push(b);
    chain.push(b);
    renderer.add(b);
    // A blank line between two items, or between two blocks of an item, makes the list loose: the
    // last line of content in `previous` or its last descendants is not the line before.
    const list = parent.type === 'list' ? parent : parent.type === 'item' ? parent.parent! : null;
    let last = 0;
    for (let c = previous; c; c = c.children[c.children.length - 1]) last = Math.max(last, c.last);
    if (list && !list.loose && previous && b.start > last + 1) {
      list.loose = true;
      renderer.retype(list);
    }
    return b;
  }

  // --- continuing open blocks (pure: only the scanner moves) ---------------------------------------

  /** 1 the block continues, 0 it does not, 2 the line was its closing fence. */
  function continues(b: Block): number {
    findNextNonspace();
    const indented = indent > 3;
    switch (b.type) {
      case 'quote':
        if (indented || line[nextNonspace] !== '>') return 0;
        quoteMarker();
        return 1;
      case 'item':
        if (blank) {
          // An item can begin with at most one blank line.
          if (!b.children.length) return 0;
          toNextNonspace();
        } else if (indent < b.contentIndent!) return 0;
        else advance(b.contentIndent!);
        return 1;
      case 'code':
        if (b.fence) {
          const fence = indented ? null : closingFence.exec(line.slice(nextNonspace));
          if (fence && fence[0][0] === b.fence[0] && fence[0].length >= b.fence.length) return 2;
          for (let i = b.fenceOffset!; i > 0 && spaceAt(); i--) advance(1);
        } else if (indented) advance(4);
        else if (blank) toNextNonspace();
        else return 0;
        return 1;
      case 'document':
      case 'list':
        return 1;
      default:
        // Paragraphs, tables and HTML blocks go on until a blank line; rules and headings are one line.
        return +(!blank && ['paragraph', 'table', 'html'].includes(b.type));
    }
  }

  /** Reads a list marker (§5.2); moves past it and its spaces when there is one. */
  function listMarker(interrupting: boolean): Partial<Block> | null {
    const text = line.slice(nextNonspace);
    const m = /^(?:[*+-]|(\d{1,9})([.)]))(?=[ \t]|$)/.exec(text);
    // Only an item starting with "1." and with content can interrupt a paragraph.
    if (
      indent > 3 ||
      !m ||
      (interrupting && ((m[1] !== undefined && m[1] !== '1') || !text.slice(m[0].length).trim()))
    )
      return null;
    const markerOffset = indent;
    const width = m[0].length;
    toNextNonspace();
    advance(width);
    const startColumn = column;
    const startOffset = offset;
    do advance(1);
    while (column - startColumn < 5 && spaceAt());
    let spaces = column - startColumn;
    if (spaces > 4 || spaces < 1 || offset >= line.length) {
      // Content after 5+ spaces is indented code: the item's content starts one space after the marker.
      spaces = 1;
      column = startColumn;
      offset = startOffset;
      if (spaceAt()) advance(1);
    }
    return {
      ordered: !!m[1],
      marker: m[2] ?? m[0],
      startNumber: +(m[1] ?? 1),
      contentIndent: markerOffset + width + spaces,
    };
  }

  const listsMatch = (list: Block, item: Partial<Block>) =>
    list.type === 'list' && list.ordered === item.ordered && list.marker === item.marker;

  // Matches the open containers against the line; returns how many continue, or -1 when the line was
  // a closing fence (then the block it closed is the last one).
  function matchContainers(): number {
    // After a blank line, every block still open goes on through another one (the others closed), so
    // a run of blank lines costs O(1) a line however deep the lists: walking them all made deep lists
    // followed by blank lines quadratic. Whitespace in a blank line is code block content, though.
    if (blank && previousBlank && tip().type !== 'code') {
      toNextNonspace();
      return chain.length;
    }
    let depth = 1;
    for (; depth < chain.length; depth++) {
      const verdict = continues(chain[depth]!);
      if (verdict === 2) return -depth;
      if (!verdict) break;
    }
    return depth;
  }

  // --- one complete line ---------------------------------------------------------------------------

  function incorporate(text: string) {
    clearPreview();
    lineNumber++;
    scan(text);
    const lineBlank = blank;
    let depth = matchContainers();
    previousBlank = lineBlank;
    if (depth < 0) {
      chain[-depth]!.last = lineNumber;
      return closeTo(-depth);
    }
    // chain[0..depth) continue; the rest stay open until something closes them (or a lazy line continues).
    let container = chain[depth - 1]!;
    let unmatched = depth < chain.length;
    const closeUnmatched = () => {
      if (unmatched) closeTo(depth);
      unmatched = false;
    };
    const start = (type: Block['type'], setup?: Partial<Block>) => {
      closeUnmatched();
      container = add(type, setup);
      depth = chain.length;
      return container;
    };
    // A block that is complete on its line: headings and rules.
    const oneLine = (b: Block) => {
      b.last = lineNumber;
      renderLeaf(b);
      closeTo(depth - 1);
    };

    while (container.type !== 'code' && container.type !== 'html') {
      findNextNonspace();
      const text = line.slice(nextNonspace);
      // Indented four columns, a line can only start an indented code block.
      if (indent > 3) {
        if (tip().type !== 'paragraph' && !blank) {
          advance(4);
          start('code');
        }
        break;
      }
      // Quotes and lists nest no deeper: a line of a thousand `>` is text, not a thousand boxes.
      if (chain.length > maxNesting || !maybeSpecial.test(text)) break;
      if (text[0] === '>') {
        quoteMarker();
        start('quote');
        continue;
      }
      const atx = atxHeading.exec(text);
      if (atx) {
        const heading = start('heading', { level: atx[0].trim().length });
        heading.text = text.slice(atx[0].length).replace(/(?:^|[ \t]+)#+[ \t]*$/, '');
        return oneLine(heading);
      }
      const fence = openingFence.exec(text)?.[0];
      if (fence) {
        // The info string's first word, with escapes and entities applied (§4.5).
        const language = unescapeText(text.slice(fence.length).trim()).split(/[ \t]/)[0];
        start('code', { fence, fenceOffset: indent, language });
        container.last = lineNumber;
        return;
      }
      if (rawHtml && container.type !== 'paragraph' && htmlBlockStart.test(text)) {
        start('html');
        break;
      }
      if (container.type === 'paragraph' && !unmatched) {
        if (setextUnderline.test(text)) {
          define(container);
          if (container.text.trim()) {
            container.type = 'heading';
            container.level = text[0] === '=' ? 1 : 2;
            renderer.retype(container);
            return oneLine(container);
          }
        }
        if (tableStart(container, text)) return;
      }
      if (thematicBreak.test(text)) return oneLine(start('rule'));
      const item = listMarker(container.type === 'paragraph');
      if (!item) break;
      closeUnmatched();
      if (!listsMatch(tip(), item)) start('list', item);
      start('item', item);
    }

    findNextNonspace();
    const leaf = tip();
    if (unmatched && !blank && leaf.type === 'paragraph') {
      // A lazy continuation line (§5.1): paragraph text goes on even without the container markers.
      leaf.text += `\n${rest()}`;
      leaf.last = lineNumber;
      return;
    }
    closeUnmatched();
    const type = container.type;
    if (type === 'table') return tableRow(container, rest());
    if (type === 'code' || type === 'html' || type === 'paragraph') {
      container.text += type === 'code' ? `${rest()}\n` : type === 'html' ? `${line}\n` : `\n${rest()}`;
      if (type !== 'code' || container.fence || !blank) container.last = lineNumber;
    } else if (!blank) {
      toNextNonspace();
      start('paragraph').text = rest();
    } else if (type === 'quote' || (type === 'item' && container.start === lineNumber)) {
      // A quote line with only '>' and an item's empty first line are content, not blank lines.
      container.last = lineNumber;
    }
  }

  // --- GFM tables ----------------------------------------------------------------------------------

  // The paragraph's last line is a header row if this line is a delimiter row with as many cells.
  function tableStart(paragraph: Block, text: string): boolean {
    const aligns = delimiterRow(text);
    const newline = paragraph.text.lastIndexOf('\n');
    const header = splitRow(paragraph.text.slice(newline + 1));
    const columns = header.length;
    if (aligns?.length !== columns || columns > maxTableColumns || cells + columns > maxTableCells)
      return false;
    if (newline < 0) {
      chain.pop();
      removeBlock(paragraph);
    } else {
      paragraph.text = paragraph.text.slice(0, newline);
      finalize(paragraph);
    }
    addRow(add('table', { aligns }), header, true);
    return true;
  }

  function tableRow(table: Block, text: string) {
    if (cells + table.aligns!.length > maxTableCells) {
      // Past the reply's cell budget, rows are shown as text: a few KB cannot build a huge DOM.
      finalize(table);
      add('paragraph').text = text.trim();
    } else addRow(table, splitRow(text), false);
  }

  function addRow(table: Block, row: string[], header: boolean) {
    const columns = table.aligns!.length;
    cells += columns;
    table.last = lineNumber;
    renderer.row(
      table,
      Array.from({ length: columns }, (_, i) => parseInlines(row[i] ?? '', inlineOptions).root),
      header,
    );
  }

  // --- the line still arriving ---------------------------------------------------------------------

  // Shows `text` (no line ending yet) as what it will most likely be: more code, more paragraph text,
  // or a new paragraph, list item or quote. Anything still ambiguous (a fence, a rule, a heading
  // underline, a table row) waits for its line ending. Returns the text that continues the paragraph.
  function preview(text: string): string | undefined {
    scan(text);
    const depth = matchContainers();
    if (depth < 0) return;
    const container = chain[depth - 1]!;
    findNextNonspace();
    if (container.type === 'code') {
      if (!(container.fence && /^[ \t]*(?:`+|~+)[ \t]*$/.test(line)))
        renderer.code(container, container.text, rest());
      return;
    }
    if (container.type === 'html' || container.type === 'table') return;
    // The new containers the line opens; they go into the document once the line is complete.
    const opens: Block[] = [];
    for (;;) {
      findNextNonspace();
      if (indent > 3) return;
      if (depth + opens.length > maxNesting) break;
      if (line[nextNonspace] === '>') {
        quoteMarker();
        opens.push(block('quote'));
        continue;
      }
      const text = line.slice(nextNonspace);
      if (thematicBreak.test(text) || /^(?:[-*+]|\d{1,9}[.)]?)$/.test(text)) return;
      const item = listMarker(!opens.length && container.type === 'paragraph');
      if (!item) break;
      opens.push(Object.assign(block('item'), item));
    }
    const content = line.slice(nextNonspace);
    if (!content || /^(?:[#`~|=<]|[-*_]{1,2}$|[-_*][ \t])/.test(content)) return;
    if (!opens.length && tip().type === 'paragraph') return content;
    const markers = line.slice(0, nextNonspace);
    if (!previewing || markers !== previewMarkers) {
      clearPreview();
      previewMarkers = markers;
      // Where the new blocks go: the line closes whatever cannot hold them.
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
      previewParagraph = block('paragraph');
      show(previewParagraph);
    }
    renderer.inlines(previewParagraph, parseInlines(content.trim(), inlineOptions).root, null);
  }

  function clearPreview() {
    if (previewing) renderer.remove(previewing);
    previewing = undefined;
  }

  function flush() {
    shown = partial.length;
    const leaf = tip();
    const extra = partial ? preview(partial) : undefined;
    if (!partial && leaf.type === 'code') renderer.code(leaf, leaf.text, '');
    renderLeaf(leaf, extra, true);
  }

  return {
    write(chunk) {
      if (ended || !chunk) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const text of lines) incorporate(text);
      if (lines.length || !unchanged(partial.length, shown)) flush();
    },
    end() {
      if (ended) return;
      ended = true;
      if (partial) incorporate(partial);
      closeTo(1);
    },
  };
}
