// Which link destinations from model output may become a clickable href.
import { unescapeText } from './entities';

/**
 * Returns the href to use for a link destination (already unescaped), or null when it must stay text.
 * Allowed: http:, https:, mailto: and relative URLs. Browsers ignore ASCII whitespace and control
 * characters inside a scheme (`java\tscript:` runs as `javascript:`), and a destination may carry
 * entity references, so the scheme is judged on the decoded text with those removed.
 */
export function safeHref(destination: string): string | null {
  const url = unescapeText(destination).replace(/[\u0000-\u0020\u007f]/g, '');
  // Only a valid scheme (a letter, then letters, digits, + - .) makes a URL absolute; anything else
  // before a colon ("foo):") is a relative URL to a browser too.
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(url);
  return scheme === null || /^(?:https?|mailto)$/i.test(scheme[1]!) ? destination : null;
}
