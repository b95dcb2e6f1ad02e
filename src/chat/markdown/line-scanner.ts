// Reading one line the way CommonMark's block parser does (§2.2, §4): a position that moves over
// container markers, and columns that count tabs to the next multiple of four, so that a tab can be
// partly consumed by one container and partly left as indentation for the next.

/** A cursor over one line (without its line ending). */
export interface LineScanner {
  readonly line: string;
  offset: number;
  column: number;
  /** The tab at `offset` was partly consumed; the rest of its width is still indentation. */
  partialTab: boolean;
  /** The first non-space character from `offset`, its column, and the indentation up to it. */
  nextNonspace: number;
  nextNonspaceColumn: number;
  indent: number;
  blank: boolean;
  /** Recomputes nextNonspace, indent and blank from the current offset. */
  findNextNonspace(): void;
  /** Moves forward `count` characters, or `count` columns when `columns` is true (tabs count their width). */
  advance(count: number, columns: boolean): void;
  advanceToNextNonspace(): void;
  /** The rest of the line as leaf content, with a partly consumed tab given back as spaces. */
  rest(): string;
}

/** Creates a scanner at the start of `line`. */
export function scanLine(line: string): LineScanner {
  const s: LineScanner = {
    line,
    offset: 0,
    column: 0,
    partialTab: false,
    nextNonspace: 0,
    nextNonspaceColumn: 0,
    indent: 0,
    blank: false,
    findNextNonspace() {
      let i = s.offset;
      let cols = s.column;
      for (;;) {
        const c = line[i];
        if (c === ' ') {
          i++;
          cols++;
        } else if (c === '\t') {
          i++;
          cols += 4 - (cols % 4);
        } else break;
      }
      s.blank = i >= line.length;
      s.nextNonspace = i;
      s.nextNonspaceColumn = cols;
      s.indent = cols - s.column;
    },
    advance(count, columns) {
      while (count > 0 && s.offset < line.length) {
        if (line[s.offset] === '\t') {
          const toTab = 4 - (s.column % 4);
          if (columns) {
            s.partialTab = toTab > count;
            const step = Math.min(count, toTab);
            s.column += step;
            if (!s.partialTab) s.offset++;
            count -= step;
          } else {
            s.partialTab = false;
            s.column += toTab;
            s.offset++;
            count--;
          }
        } else {
          s.partialTab = false;
          s.offset++;
          s.column++;
          count--;
        }
      }
    },
    advanceToNextNonspace() {
      s.offset = s.nextNonspace;
      s.column = s.nextNonspaceColumn;
      s.partialTab = false;
    },
    rest() {
      if (!s.partialTab) return line.slice(s.offset);
      return ' '.repeat(4 - (s.column % 4)) + line.slice(s.offset + 1);
    },
  };
  s.findNextNonspace();
  return s;
}
