// Entity and numeric character references (CommonMark §2.5), decoded to characters without ever
// handing model text to an HTML parser. The full HTML5 table has 2,231 names (~30 KB); models write
// characters, not names, so this one keeps the names HTML needs for its own syntax (&amp; &lt; &gt;
// &quot; &apos;), &nbsp; &copy; &colon; (so `javascript&colon;` is judged as the scheme it spells) and
// the two the spec's examples use; every numeric reference decodes. An unknown name stays as written,
// which is what CommonMark asks of a name that is not an entity (example 25 lists the spec's others).
// " name=character" for each: a reference is looked up as a substring, with no table to build.
const NAMES = ' amp=& lt=< gt=> quot=" apos=\' nbsp=\u00a0 copy=© colon=: ouml=ö auml=ä';

/** The ASCII punctuation a backslash escapes (§2.4). */
export const escapable = /[!-/:-@[-`{-~]/;

/** Matches one entity or numeric character reference at the start of a string. */
export const entityAtStart = /^&(?:#[xX][\da-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z\d]{1,31});/;

/** The character(s) an entity reference stands for, or the reference itself when it is unknown. */
export function decodeEntity(reference: string): string {
  const body = reference.slice(1, -1);
  if (body[0] !== '#') {
    const at = NAMES.indexOf(` ${body}=`);
    return at < 0 ? reference : NAMES[at + body.length + 2]!;
  }
  // "0x1F600" and "039" read as numbers: hexadecimal and decimal references alike.
  const code = +`0${body.slice(1)}`;
  // NUL, surrogates and out-of-range code points become U+FFFD, as CommonMark says.
  return code && code < 0x110000 && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
}

// Literals, not built from the patterns above: a page that imports only an adapter tree-shakes them.
const escapesAndEntities = /\\([!-/:-@[-`{-~])|&(?:#[xX][\da-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z\d]{1,31});/g;

/** Applies backslash escapes and entity references (link destinations, titles, info strings). */
export const unescapeText = (text: string): string =>
  text.replace(escapesAndEntities, (match, escaped: string | undefined) => escaped ?? decodeEntity(match));
