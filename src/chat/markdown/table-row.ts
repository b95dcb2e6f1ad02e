// GFM pipe tables (GFM §4.10): reading the delimiter row and splitting a row into its cells.

/** Column alignment from a table's delimiter row. */
export type CellAlign = 'left' | 'center' | 'right' | undefined;

/**
 * Splits a row into trimmed cells: outer pipes are optional and `\|` is not a boundary (it stands
 * for a `|` in the cell's text, even in a code span).
 */
export const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/(^|[^\\])\|$/, '$1')
    .replace(/\\\|/g, '\0')
    .split('|')
    .map((cell) => cell.trim().replace(/\0/g, '|'));

/** Reads a delimiter row (`|:--|--:|`) into alignments, or null if the line is not one. */
export function delimiterRow(line: string): CellAlign[] | null {
  const cells = splitRow(line);
  return /[|:]/.test(line) && cells.every((cell) => /^:?-+:?$/.test(cell))
    ? cells.map(
        (cell) =>
          ([undefined, 'left', 'right', 'center'] as const)[+(cell[0] === ':') + 2 * +cell.endsWith(':')],
      )
    : null;
}
