// The pieces of link syntax shared by inline links and link reference definitions (CommonMark §4.7,
// §6.3): labels, destinations, titles, and the label normalisation that matches them.
import { unescapeText } from './entities';

/** A link reference definition's target. */
export interface LinkTarget {
  destination: string;
  title: string;
}

/** Definitions by normalised label; the first definition of a label wins. */
export type References = Map<string, LinkTarget>;

/** Case-folds and collapses whitespace, so `[Foo  Bar]` matches `[foo bar]` (and `ẞ` matches `SS`). */
export const normalizeLabel = (label: string): string =>
  label
    .slice(1, -1)
    .trim()
    .replace(/[ \t\r\n]+/g, ' ')
    .toLowerCase()
    .toUpperCase();

const labelAt = /^\[(?:[^\\[\]]|\\[\s\S]){0,999}\]/;
const titleAt = /^(?:"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\])*'|\((?:\\[\s\S]|[^()\\])*\))/;
const angleDestinationAt = /^<(?:[^<>\n\\]|\\[\s\S])*>/;
const spaceAndNewline = /^[ \t]*(?:\n[ \t]*)?/;

/** A reader over one string; each method consumes what it matched and returns null when nothing did. */
export interface LinkScanner {
  pos: number;
  readonly text: string;
  /** `[label]` with at most 999 characters and no unescaped bracket inside (returned with its brackets). */
  label(): string | null;
  /** A destination, `<…>` or bare with balanced parentheses; returned unescaped. */
  destination(): string | null;
  /** A `"…"`, `'…'` or `(…)` title; returned unescaped. */
  title(): string | null;
  /** Skips spaces with at most one line ending among them; returns how many characters. */
  spaces(): number;
}

/** Creates a scanner over `text` from `pos`. */
export function createLinkScanner(text: string, pos: number): LinkScanner {
  const scanner: LinkScanner = {
    pos,
    text,
    label() {
      const m = labelAt.exec(text.slice(scanner.pos, scanner.pos + 1002));
      if (m === null || m[0].slice(1, -1).trim() === '') return null;
      scanner.pos += m[0].length;
      return m[0];
    },
    destination() {
      const at = scanner.pos;
      if (text[at] === '<') {
        const m = angleDestinationAt.exec(text.slice(at));
        if (m === null) return null;
        scanner.pos += m[0].length;
        return unescapeText(m[0].slice(1, -1));
      }
      let i = at;
      let depth = 0;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */ && /[!-/:-@[-`{-~]/.test(text[i + 1] ?? '')) i++;
        else if (c === 40 /* ( */) {
          if (++depth > 32) return null;
        } else if (c === 41 /* ) */) {
          if (depth === 0) break;
          depth--;
        } else if (c <= 32 || c === 127) break;
      }
      if (i === at || depth !== 0) return null;
      scanner.pos = i;
      return unescapeText(text.slice(at, i));
    },
    title() {
      const m = titleAt.exec(text.slice(scanner.pos));
      if (m === null) return null;
      scanner.pos += m[0].length;
      return unescapeText(m[0].slice(1, -1));
    },
    spaces() {
      const n = spaceAndNewline.exec(text.slice(scanner.pos))![0].length;
      scanner.pos += n;
      return n;
    },
  };
  return scanner;
}

/**
 * Takes the link reference definitions at the start of a paragraph's text into `references` and
 * returns the text that is left (CommonMark §4.7).
 */
export function takeDefinitions(text: string, references: References): string {
  let rest = text;
  for (;;) {
    const scanner = createLinkScanner(rest, 0);
    const label = scanner.label();
    if (label === null || rest[scanner.pos] !== ':') return rest;
    scanner.pos++;
    scanner.spaces();
    const destination = scanner.destination();
    if (destination === null) return rest;
    const beforeTitle = scanner.pos;
    let title = scanner.spaces() > 0 ? scanner.title() : null;
    const lineEnd = /^[ \t]*(?:\n|$)/;
    let end = lineEnd.exec(rest.slice(scanner.pos));
    if (end === null || title === null) {
      // A title that does not end its line is not a title: the definition may still end before it.
      title = null;
      scanner.pos = beforeTitle;
      end = lineEnd.exec(rest.slice(scanner.pos));
      if (end === null) return rest;
    }
    const key = normalizeLabel(label);
    if (!references.has(key)) references.set(key, { destination, title: title ?? '' });
    rest = rest.slice(scanner.pos + end[0].length);
  }
}
