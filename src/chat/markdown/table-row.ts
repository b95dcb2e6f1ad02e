// GFM pipe tables (GFM §4.10): reading the delimiter row and splitting a row into its cells.

/** Column alignment from a table's delimiter row. */
export type CellAlign = 'left' | 'center' | 'right' | null;

const delimiterLine = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** Splits a row into trimmed cells: outer pipes are optional and `\|` is not a boundary. */
export function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c === '\\' && i + 1 < row.length) {
      cell += c + row[++i];
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** Reads a delimiter row (`|:--|--:|`) into alignments, or null if the line is not one. */
export function delimiterRow(line: string): CellAlign[] | null {
  if (!delimiterLine.test(line) || !/[|:]/.test(line)) return null;
  return splitRow(line).map((cell) => {
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
  });
}
