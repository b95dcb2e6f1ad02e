// The pieces of link syntax shared by inline links and link reference definitions (CommonMark §4.7,
// §6.3): labels, destinations, titles, and the label normalisation that matches them. Each is a
// sticky regular expression, matched in place at a position of the text.
import { unescapeText } from './entities';

/** A link reference definition's target. */
export interface LinkTarget {
  destination: string;
  title: string;
}

/** Definitions by normalised label; the first definition of a label wins. */
export type References = Map<string, LinkTarget>;

/** Case-folds and collapses whitespace, so `Foo  Bar` matches `foo bar` (and `ẞ` matches `SS`). */
export const normalizeLabel = (label: string): string =>
  label
    .trim()
    .replace(/[ \t\r\n]+/g, ' ')
    .toLowerCase()
    .toUpperCase();

// A bare destination: no spaces or controls, parentheses balanced (a few deep), backslash escapes.
// The alternatives never match the same text, so a failing match cannot backtrack exponentially.
const destinationChar = '[^\\x00-\\x20\\x7f()\\\\]|\\\\[^\\x00-\\x20\\x7f]';
const nested = (depth: number): string =>
  depth ? `${destinationChar}|\\((?:${nested(depth - 1)})*\\)` : destinationChar;
const space = '[ \\t\\n]*';
// Paragraph text holds no blank line, so any run of spaces in it has at most one line ending.
const target = () =>
  `(<(?:[^<>\\n\\\\]|\\\\[\\s\\S])*>|(?!<)(?:${nested(5)})+)(?:[ \\t\\n]+("(?:\\\\[\\s\\S]|[^"\\\\])*"|'(?:\\\\[\\s\\S]|[^'\\\\])*'|\\((?:\\\\[\\s\\S]|[^()\\\\])*\\)))?`;
const label = '\\[((?:[^\\\\[\\]]|\\\\[\\s\\S]){0,999})\\]';

// Built on first use, so that a page that imports only an adapter tree-shakes them away.
let patterns: RegExp[] | undefined;
/**
 * `[label]` (at most 999 characters, no unescaped bracket inside; group 1 is the label), an inline
 * link's `(destination "title")` (groups 1 and 2, as written), a link reference definition.
 */
export function linkPatterns(): RegExp[] {
  patterns ??= [
    new RegExp(label, 'y'),
    new RegExp(`\\(${space}(?:${target()})?${space}\\)`, 'y'),
    new RegExp(`${label}:${space}${target()}[ \\t]*(?:\\n|$)`, 'y'),
  ];
  return patterns;
}

/** Matches a sticky expression at `pos`. */
export function matchAt(pattern: RegExp, text: string, pos: number): RegExpExecArray | null {
  pattern.lastIndex = pos;
  return pattern.exec(text);
}

/** The target from a destination and title as written, with their delimiters, escapes and entities undone. */
export const linkTarget = (destination = '', title = ''): LinkTarget => ({
  destination: unescapeText(destination[0] === '<' ? destination.slice(1, -1) : destination),
  title: unescapeText(title.slice(1, -1)),
});

/**
 * Takes the link reference definitions at the start of a paragraph's text into `references` and
 * returns the text that is left (CommonMark §4.7). A title that does not end its line is not a
 * title: the definition may still end before it.
 */
export function takeDefinitions(text: string, references: References): string {
  let at = 0;
  const definition = linkPatterns()[2]!;
  for (let m = matchAt(definition, text, 0); m?.[1]?.trim(); m = matchAt(definition, text, at)) {
    const key = normalizeLabel(m[1]!);
    if (!references.has(key)) references.set(key, linkTarget(m[2], m[3]));
    at += m[0].length;
  }
  return text.slice(at);
}
