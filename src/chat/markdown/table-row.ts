// GFM pipe tables: counting a header row's cells, reading the delimiter row, and writing a row's
// cells as its characters arrive.
import type { InlineParser } from './inline-parser';
import type { CellAlign, Renderer } from './tokens';

const delimiterCell = /^:?-+:?$/;

/** Counts the cells of a table row (the text after its leading pipe), honouring `\|`. */
export function countCells(row: string): number {
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
export function parseDelimiterRow(line: string): CellAlign[] | null {
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

/** Writes one table row from the characters after its leading pipe. */
export interface RowWriter {
  /** Opens a row; `aligns` has one entry per column and sets the column count. */
  start(header: boolean, aligns: CellAlign[]): void;
  /** Takes the next character of the row (never a newline). */
  char(ch: string): void;
  /** The row's line ended: closes the last cell and adds empty ones up to the column count. */
  end(): void;
}

/** Creates a row writer; cell contents go through `inline`, so they carry emphasis, code and links. */
export function createRowWriter(renderer: Renderer, inline: InlineParser): RowWriter {
  let row = { header: false, cell: 0, open: false, aligns: [] as CellAlign[] };

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

  function char(ch: string) {
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

  function end() {
    if (row.open) closeCell();
    while (row.cell < row.aligns.length) {
      openCell();
      closeCell();
    }
    renderer.close();
  }

  return {
    start(header, aligns) {
      renderer.open({ type: 'row' });
      row = { header, cell: 0, open: false, aligns };
    },
    char,
    end,
  };
}
