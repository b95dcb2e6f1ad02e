// GFM pipe tables: counting a header row's cells, reading the delimiter row, and writing a row's
// cells as its characters arrive.
import type { InlineParser } from './inline-parser';
import type { CellAlign, Renderer } from './tokens';

const delimiterCell = /^:?-+:?$/;

/** Counts the cells of a table row (the text after its leading pipe), honouring `\|`. */
export function countCells(row: string): number {
  // An escaped character is cell content, never a boundary.
  const cells = row.replace(/\\./g, '.').split('|');
  return cells[cells.length - 1]!.trim() === '' ? cells.length - 1 : cells.length;
}

/** Reads a delimiter row (`|:--|--:|`) into alignments, or null if it is not one. */
export function parseDelimiterRow(line: string): CellAlign[] | null {
  const cells = line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());
  if (!cells.every((cell) => delimiterCell.test(cell))) return null;
  return cells.map((cell) => {
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
  });
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
  let header = false;
  let aligns: CellAlign[] = [];
  // The cell being written, or the next one while between cells.
  let cell = 0;
  let open = false;

  function openCell() {
    renderer.open({ type: 'cell', header, align: aligns[cell] ?? null });
    open = true;
  }

  function closeCell() {
    inline.finish();
    renderer.close();
    open = false;
    cell++;
  }

  return {
    start(isHeader, columns) {
      renderer.open({ type: 'row' });
      header = isHeader;
      aligns = columns;
      cell = 0;
    },
    char(ch) {
      if (!open) {
        // GFM drops cells beyond the header's count.
        if (cell >= aligns.length || ch === ' ' || ch === '\t') return;
        openCell();
      }
      if (ch === '|' && !inline.escaping) closeCell();
      else inline.step(ch);
    },
    end() {
      if (open) closeCell();
      while (cell < aligns.length) {
        openCell();
        closeCell();
      }
      renderer.close();
    },
  };
}
