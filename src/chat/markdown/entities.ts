// Entity and numeric character references (CommonMark §2.5), decoded to characters without ever
// handing model text to an HTML parser. The full HTML5 table has 2,231 names (~30 KB); this one
// keeps the names people and models actually write, plus those the CommonMark spec uses. An unknown
// name stays as written, which is what CommonMark asks of a name that is not an entity.
const names: Record<string, string> = Object.fromEntries(
  (
    'amp & lt < gt > quot " apos \' nbsp \u00a0 copy © reg ® trade ™ hellip … mdash — ndash – ' +
    'laquo « raquo » ldquo “ rdquo ” lsquo ‘ rsquo ’ bull • middot · deg ° plusmn ± times × divide ÷ ' +
    'frac12 ½ frac14 ¼ frac34 ¾ euro € pound £ yen ¥ cent ¢ sect § para ¶ not ¬ micro µ iexcl ¡ ' +
    'iquest ¿ larr ← rarr → uarr ↑ darr ↓ harr ↔ rArr ⇒ lArr ⇐ hArr ⇔ le ≤ ge ≥ ne ≠ asymp ≈ ' +
    'infin ∞ sum ∑ prod ∏ radic √ minus − alpha α beta β gamma γ delta δ pi π sigma σ mu μ lambda λ ' +
    'theta θ omega ω Delta Δ Omega Ω check ✓ auml ä ouml ö uuml ü Auml Ä Ouml Ö Uuml Ü szlig ß ' +
    'eacute é egrave è agrave à ccedil ç ntilde ñ AElig Æ aelig æ oslash ø aring å Dcaron Ď ngE ≧̸ ' +
    'HilbertSpace ℋ DifferentialD ⅆ ClockwiseContourIntegral ∲ colon : tab \t newline \n'
  )
    .split(' ')
    .reduce<[string, string][]>((pairs, word, i, words) => {
      if (i % 2 === 0) pairs.push([word, words[i + 1]!]);
      return pairs;
    }, []),
);

/** Matches one entity or numeric character reference at the start of a string. */
export const entityAtStart = /^&(?:#[xX][\da-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z\d]{1,31});/;

/** The character(s) an entity reference stands for, or the reference itself when it is unknown. */
export function decodeEntity(entity: string): string {
  const body = entity.slice(1, -1);
  if (body[0] !== '#') return names[body] ?? entity;
  const hex = body[1] === 'x' || body[1] === 'X';
  const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
  // NUL and out-of-range code points become U+FFFD, as CommonMark says.
  return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
    ? String.fromCodePoint(code)
    : '\ufffd';
}

const escapesAndEntities = /\\([!-/:-@[-`{-~])|&(?:#[xX][\da-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z\d]{1,31});/g;

/** Applies backslash escapes and entity references (link destinations, titles, info strings). */
export const unescapeText = (text: string): string =>
  text.replace(escapesAndEntities, (match, escaped: string | undefined) => escaped ?? decodeEntity(match));
