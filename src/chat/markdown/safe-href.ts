// Which link destinations from model output may become a clickable href.

// Enough names to read the URLs models write (`&amp;`) and every disguise of a scheme (`&colon;`,
// `&tab;`, `&newline;`); other names stay as they are and can only make a scheme invalid.
const namedEntities: Record<string, string> = { amp: '&', colon: ':', tab: '\t', newline: '\n' };

// Markdown decodes entity references in link destinations, so `&#106;avascript:` means
// `javascript:` and must be judged as such. Unknown names stay as they are: an href set with
// setAttribute is never entity-decoded by the browser.
function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z]{2,8}));/gi, (entity, dec, hex, name) => {
    if (name !== undefined) return namedEntities[name.toLowerCase()] ?? entity;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}

/**
 * Returns the href to use for a markdown link destination, or null when it must stay plain text.
 * Allowed: http:, https:, mailto: and relative URLs. Browsers ignore ASCII whitespace and control
 * characters inside a scheme (`java\tscript:` runs as `javascript:`), so they are removed before the
 * scheme is read, and the cleaned string is what gets used.
 */
export function safeHref(destination: string): string | null {
  const url = decodeEntities(destination).replace(/[\u0000-\u0020\u007f]/g, '');
  if (url === '') return null;
  // A colon after the first '/', '?' or '#' is part of a relative URL's path or query, not a scheme.
  const scheme = /^([^:/?#]*):/.exec(url);
  return scheme === null || /^(?:https?|mailto)$/i.test(scheme[1]!) ? url : null;
}
