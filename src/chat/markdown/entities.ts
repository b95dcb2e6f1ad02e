// Entity and numeric character references (CommonMark §2.5), decoded to characters without ever
// handing model text to an HTML parser. The full HTML5 table has 2,231 names (~30 KB); this one
// keeps the names people and models actually write, plus those the CommonMark spec uses. An unknown
// name stays as written, which is what CommonMark asks of a name that is not an entity.
const NAMES =
  'amp lt gt quot apos nbsp copy reg trade hellip mdash ndash laquo raquo ldquo rdquo lsquo rsquo bull ' +
  'middot deg plusmn times divide frac12 frac14 frac34 euro pound yen cent sect para larr rarr harr rArr ' +
  'hArr le ge ne asymp infin minus auml ouml uuml szlig eacute AElig Dcaron ngE HilbertSpace ' +
  'DifferentialD ClockwiseContourIntegral colon tab newline';
const CHARACTERS = '&<>"\'\u00a0©®™…—–«»“”‘’•·°±×÷½¼¾€£¥¢§¶←→↔⇒⇔≤≥≠≈∞−äöüßéÆĎ≧̸ℋⅆ∲:\t\n';

// Built on first use rather than at import, so a page that imports only an adapter tree-shakes it away.
let names: Record<string, string> | undefined;
const entityTable = (): Record<string, string> => {
  if (!names) {
    const characters = CHARACTERS.match(/≧̸|[\s\S]/gu)!;
    names = {};
    for (const [i, name] of NAMES.split(' ').entries()) names[name] = characters[i]!;
  }
  return names;
};

const entity = '&(?:#[xX][\\da-fA-F]{1,6}|#\\d{1,7}|[a-zA-Z][a-zA-Z\\d]{1,31});';

/** The ASCII punctuation a backslash escapes (§2.4). */
export const escapable = /[!-/:-@[-`{-~]/;

/** Matches one entity or numeric character reference at the start of a string. */
export const entityAtStart = /* @__PURE__ */ new RegExp(`^${entity}`);

/** The character(s) an entity reference stands for, or the reference itself when it is unknown. */
export function decodeEntity(reference: string): string {
  const body = reference.slice(1, -1);
  if (body[0] !== '#') return entityTable()[body] ?? reference;
  // "0x1F600" and "039" read as numbers: hexadecimal and decimal references alike.
  const code = +`0${body.slice(1)}`;
  // NUL, surrogates and out-of-range code points become U+FFFD, as CommonMark says.
  return code && code < 0x110000 && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
}

const escapesAndEntities = /* @__PURE__ */ new RegExp(`\\\\(${escapable.source})|${entity}`, 'g');

/** Applies backslash escapes and entity references (link destinations, titles, info strings). */
export const unescapeText = (text: string): string =>
  text.replace(escapesAndEntities, (match, escaped: string | undefined) => escaped ?? decodeEntity(match));
