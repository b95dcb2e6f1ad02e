// Inline markdown of one complete block (CommonMark §6 plus GFM strikethrough and bare URLs, and
// math): code spans, escapes, entities, autolinks, links with the delimiter-stack algorithm of
// CommonMark's appendix, emphasis. It parses the whole block text at once; the block parser decides
// when a block's text changes, and the renderer only touches the DOM where the result did.
import { decodeEntity, entityAtStart, escapable } from './entities';
import { linkPatterns, linkTarget, matchAt, normalizeLabel, type References } from './link-syntax';
import { safeHref } from './safe-href';

/**
 * A node of a block's inline content; the renderer walks it as it is. Types are named for the element
 * they become. Siblings are linked so that emphasis can wrap a run of them in O(1).
 */
export interface Inline {
  type: 'text' | 'br' | 'code' | 'math' | 'html' | 'em' | 'strong' | 'del' | 'a';
  /** Text, code, HTML and TeX; a link's href. */
  text: string;
  /** A link's title; display math. */
  title?: string;
  display?: boolean;
  parent?: Inline | undefined;
  first?: Inline | undefined;
  last?: Inline | undefined;
  prev?: Inline | undefined;
  next?: Inline | undefined;
}

/** What a parse found: the content (children of `root`) and labels used before their definition. */
export interface InlineResult {
  root: Inline;
  /** Labels used as references that had no definition yet: a later definition changes this block. */
  missing: string[];
}

// A run of * _ ~ that may open or close (§6.2), or an unmatched [ or ![ (§6.3).
interface Delimiter {
  node: Inline;
  char: string;
  count: number;
  length: number;
  canOpen: boolean;
  canClose: boolean;
  prev?: Delimiter | undefined;
  next?: Delimiter | undefined;
}
interface Bracket {
  node: Inline;
  prev: Bracket | undefined;
  delimiter: Delimiter | undefined;
  index: number;
  image: boolean;
  active: boolean;
  bracketAfter?: boolean;
}

const punctuation = /[\p{P}\p{S}]/u;
const whitespace = /\s/;
// Sticky: text runs are matched in place, without slicing the subject. An h or w stops a run only
// where a bare URL could start.
const plainText = /(?:[^\n`[\]\\!<&*_~$hw]|[hw](?!ttps?:|ww\.))+/y;
// A URI autolink (§6.5). Email autolinks (`<a@b.c>`) are not supported: they stay text.
const autolink = /^<[a-z][a-z\d.+-]{1,31}:[^<>\x00-\x20]*>/i;
// An HTML tag, comment, processing instruction, declaration or CDATA section (§6.6), roughly: what
// it matches is shown as text, or with a sanitizer goes through the sanitizer.
const htmlTag =
  /^<(?:\/?[a-z][a-z\d-]*(?:\s+[^<>]*)?\/?>|!--(?:-?>|[\s\S]*?-->)|\?[\s\S]*?\?>|![a-z][^>]*>|!\[CDATA\[[\s\S]*?\]\]>)/i;
// GFM's extended autolinks: www. and http(s):// followed by a domain (§6.9 of GFM).
const bareUrl = /^(?:https?:\/\/|www\.)[\w-]+(?:\.[\w-]+)*[^\s<]*/i;

/** Percent-encodes what is not allowed in a URL, keeping escapes already there (as commonmark.js does). */
const encodeHref = (url: string): string =>
  url.replace(/%(?![\da-fA-F]{2})|[^\w;/?:@&=+$,\-.!~*'()#%]/gu, encodeURIComponent);

const node = (type: Inline['type'], text = ''): Inline => ({ type, text });

function append(parent: Inline, child: Inline) {
  insertAfter(parent.last, child, parent);
}

// Inserts `n` after `anchor` (or first, when there is none) among `parent`'s children.
function insertAfter(anchor: Inline | undefined, n: Inline, parent = anchor!.parent!) {
  const next = anchor ? anchor.next : parent.first;
  n.parent = parent;
  n.prev = anchor;
  n.next = next;
  if (next) next.prev = n;
  else parent.last = n;
  if (anchor) anchor.next = n;
  else parent.first = n;
}

function unlink(n: Inline) {
  const parent = n.parent!;
  if (n.prev) n.prev.next = n.next;
  else parent.first = n.next;
  if (n.next) n.next.prev = n.prev;
  else parent.last = n.prev;
}

// Moves the siblings after `from` up to `to` (or to the end) into `into`.
function adopt(into: Inline, from: Inline, to?: Inline) {
  for (let n = from.next; n && n !== to; ) {
    const next = n.next;
    unlink(n);
    append(into, n);
    n = next;
  }
}

/** Options of one inline parse. */
export interface InlineOptions {
  references: References;
  /** Inline HTML is kept as HTML (for the sanitizer) instead of text. */
  rawHtml: boolean;
}

/** Parses the inline content of a block. */
export function parseInlines(subject: string, { references, rawHtml }: InlineOptions): InlineResult {
  const root = node('text');
  const missing: string[] = [];
  let pos = 0;
  let delimiters: Delimiter | undefined;
  let brackets: Bracket | undefined;
  let inLinkText = 0;
  // Where a search for each closer (a backtick run, by its length; a math delimiter) already failed:
  // searching again from there would fail too, so a text full of unmatched openers stays linear.
  const noCloser: Record<string | number, number> = {};

  const add = (n: Inline, length: number) => {
    append(root, n);
    pos += length;
    return n;
  };
  const text = (s: string, length = s.length) => add(node('text', s), length);
  const link = (href: string, label: string, length: number) => {
    const a = add(node('a', encodeHref(href)), length);
    append(a, node('text', label));
    return true;
  };
  const charBefore = (i: number) => subject[i - 1] || '\n';

  function codeSpan() {
    const run = /^`+/.exec(subject.slice(pos))![0].length;
    const start = pos + run;
    if (!(start >= noCloser[run]!)) {
      const closer = /`+/g;
      closer.lastIndex = start;
      for (let m = closer.exec(subject); m; m = closer.exec(subject))
        if (m[0].length === run) {
          const content = subject.slice(start, m.index).replace(/\n/g, ' ');
          return add(
            node('code', /^ .*[^ ].* $/s.test(content) ? content.slice(1, -1) : content),
            m.index + run - pos,
          );
        }
      noCloser[run] = start;
    }
    return text('`'.repeat(run));
  }

  const math = (from: number, end: number, fence: number, display: boolean) => {
    const tex = subject.slice(from, end).trim();
    if (end < 0 || tex === '') return false;
    add(node('math', tex), end + fence - pos).display = display;
    return true;
  };

  // $…$, $$…$$: kept whole. A $ opens only before a non-space and closes only after one, and not
  // before a digit, so "$5 and $10" stays text.
  function dollarMath() {
    const display = subject[pos + 1] === '$';
    const fence = display ? '$$' : '$';
    const start = pos + fence.length;
    if ((!display && whitespace.test(subject[start] ?? ' ')) || start >= noCloser[fence]!) return false;
    let end = subject.indexOf(fence, start);
    while (
      end > 0 &&
      !(
        (display || (!whitespace.test(subject[end - 1]!) && !/\d/.test(subject[end + 1] ?? ''))) &&
        end > start &&
        subject[end - 1] !== '\\'
      )
    )
      end = subject.indexOf(fence, end + 1);
    if (end < 0) noCloser[fence] = start;
    return math(start, end, fence.length, display);
  }

  function backslash() {
    const next = subject[pos + 1] ?? '';
    // \(…\) and \[…\], the math delimiters models are told to use.
    if ((next === '(' || next === '[') && !(pos >= noCloser[next]!)) {
      const display = next === '[';
      const end = subject.indexOf(display ? '\\]' : '\\)', pos + 2);
      if (end < 0) noCloser[next] = pos;
      if (math(pos + 2, end, 2, display)) return true;
    }
    if (next === '\n') {
      add(node('br'), 2);
      skipLeadingSpaces();
    } else if (escapable.test(next)) text(next, 2);
    else return false;
    return true;
  }

  function skipLeadingSpaces() {
    while (subject[pos] === ' ' || subject[pos] === '\t') pos++;
  }

  function newline() {
    // Trailing spaces of the line are dropped; two or more make a hard break.
    const last = root.last;
    let hard = false;
    if (last?.type === 'text') {
      const trimmed = last.text.replace(/ +$/, '');
      hard = last.text.length - trimmed.length > 1;
      last.text = trimmed;
    }
    if (hard) add(node('br'), 1);
    else text('\n');
    skipLeadingSpaces();
    return true;
  }

  function angle() {
    const rest = subject.slice(pos, pos + 4096);
    const m = autolink.exec(rest);
    if (m) {
      const target = m[0].slice(1, -1);
      const href = safeHref(target);
      return href === null ? text(m[0]) : link(href, target, m[0].length);
    }
    const tag = htmlTag.exec(rest);
    return tag && (rawHtml ? add(node('html', tag[0]), tag[0].length) : text(tag[0]));
  }

  function bareLink() {
    const before = charBefore(pos);
    if (inLinkText || !(whitespace.test(before) || '*_~('.includes(before))) return false;
    let url = bareUrl.exec(subject.slice(pos, pos + 4096))?.[0] ?? '';
    // Trailing punctuation, an unbalanced ')' and an entity-like tail are not part of the URL (GFM).
    for (let cut = ''; cut !== url; ) {
      cut = url;
      url = url
        .replace(/&[a-z\d]+;$|[?!.,:*_~'"]$/i, '')
        .replace(/\)$/, (p) => (url.split('(').length < url.split(')').length ? '' : p));
    }
    const www = /^www\./i.test(url);
    const host = /^(?:https?:\/\/|www\.)([^/?#]*)/i.exec(url)?.[1] ?? '';
    if (!/^[\w-]+(?:\.[\w-]+)*$/.test(host) || (www && !host.includes('.'))) return false;
    const href = safeHref(www ? `http://${url}` : url);
    return href !== null && link(href, url, url.length);
  }

  // A run of * _ ~: which side it is on decides whether it may open or close (§6.2).
  function delimiterRun() {
    const char = subject[pos]!;
    const start = pos;
    let end = pos;
    while (subject[end] === char) end++;
    const count = end - start;
    const before = charBefore(start);
    const after = subject[end] ?? '\n';
    const beforeSpace = whitespace.test(before);
    const afterSpace = whitespace.test(after);
    const beforePunct = punctuation.test(before);
    const afterPunct = punctuation.test(after);
    const left = !afterSpace && (!afterPunct || beforeSpace || beforePunct);
    const right = !beforeSpace && (!beforePunct || afterSpace || afterPunct);
    const canOpen = left && (char !== '_' || !right || beforePunct);
    const canClose = right && (char !== '_' || !left || afterPunct);
    const n = text(char.repeat(count));
    // GFM strikethrough: exactly two tildes ("~5 min" stays text).
    if ((canOpen || canClose) && (char !== '~' || count === 2)) {
      const d: Delimiter = { node: n, char, count, length: count, canOpen, canClose, prev: delimiters };
      if (delimiters) delimiters.next = d;
      delimiters = d;
    }
    return true;
  }

  function removeDelimiter(d: Delimiter) {
    if (d.prev) d.prev.next = d.next;
    if (d.next) d.next.prev = d.prev;
    else delimiters = d.prev;
  }

  // CommonMark's "process emphasis" (appendix A), above `bottom`.
  function processEmphasis(bottom: Delimiter | undefined) {
    const openersBottom = new Map<string, Delimiter | undefined>();
    let closer = delimiters === bottom ? undefined : delimiters;
    while (closer && closer.prev !== bottom) closer = closer.prev;
    while (closer) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const key = `${closer.char}${closer.canOpen}${closer.length % 3}`;
      const floor = openersBottom.has(key) ? openersBottom.get(key) : bottom;
      let opener = closer.prev;
      while (
        opener &&
        opener !== bottom &&
        opener !== floor &&
        !(
          opener.char === closer.char &&
          opener.canOpen &&
          !(
            (closer.canOpen || opener.canClose) &&
            closer.length % 3 &&
            (opener.length + closer.length) % 3 === 0
          )
        )
      )
        opener = opener.prev;
      if (opener && opener !== bottom && opener !== floor) {
        const use = closer.char === '~' || (closer.count > 1 && opener.count > 1) ? 2 : 1;
        opener.count -= use;
        closer.count -= use;
        opener.node.text = opener.node.text.slice(use);
        closer.node.text = closer.node.text.slice(use);
        const wrapper = node(closer.char === '~' ? 'del' : use === 2 ? 'strong' : 'em');
        adopt(wrapper, opener.node, closer.node);
        insertAfter(opener.node, wrapper);
        for (let d = closer.prev; d && d !== opener; d = d.prev) removeDelimiter(d);
        if (!opener.count) {
          unlink(opener.node);
          removeDelimiter(opener);
        }
        if (!closer.count) {
          unlink(closer.node);
          removeDelimiter(closer);
          closer = closer.next;
        }
      } else {
        openersBottom.set(key, closer.prev);
        if (!closer.canOpen) removeDelimiter(closer);
        closer = closer.next;
      }
    }
    while (delimiters && delimiters !== bottom) removeDelimiter(delimiters);
  }

  function openBracket() {
    const image = subject[pos] === '!';
    if (image && subject[pos + 1] !== '[') return false;
    const n = text(image ? '![' : '[');
    if (brackets) brackets.bracketAfter = true;
    brackets = { node: n, prev: brackets, delimiter: delimiters, index: pos, image, active: true };
    if (!image) inLinkText++;
    return true;
  }

  function closeBracket() {
    const opener = brackets;
    if (opener) {
      brackets = opener.prev;
      if (!opener.image) inLinkText--;
    }
    if (!opener?.active) return false;
    const afterBracket = ++pos;
    // An inline link: (destination "title").
    const [labelAt, inlineLinkAt] = linkPatterns() as [RegExp, RegExp];
    const inline = matchAt(inlineLinkAt, subject, pos);
    let target = inline ? linkTarget(inline[1], inline[2]) : undefined;
    if (inline) pos += inline[0].length;
    else {
      // A reference link: [text][label], [label][] or [label].
      const m = matchAt(labelAt, subject, pos);
      let label: string | undefined;
      let end = pos;
      if (m?.[1]?.trim()) {
        label = m[1]!;
        end += m[0].length;
      } else {
        if (subject.startsWith('[]', pos)) end += 2;
        if (!opener.bracketAfter) label = subject.slice(opener.index, pos - 1);
      }
      if (label !== undefined && label.length < 1000) {
        const key = normalizeLabel(label);
        target = references.get(key);
        if (target) pos = end;
        else if (key) missing.push(key);
      }
    }
    if (!target) {
      pos = afterBracket - 1;
      return false;
    }
    // Images are shown as links to the image (a model cannot make the page load anything).
    const href = safeHref(target.destination);
    const a = node('a', href === null ? '' : encodeHref(href));
    a.title = target.title;
    insertAfter(opener.node, a);
    adopt(a, a);
    processEmphasis(opener.delimiter);
    unlink(opener.node);
    if (href === null) {
      // Not a URL we allow: the reader gets the link text, never a clickable javascript: or data: URL.
      for (let n = a.last; n; n = a.last) {
        unlink(n);
        insertAfter(a, n);
      }
      unlink(a);
    } else if (!opener.image)
      // No links inside links: earlier openers become plain brackets.
      for (let b = brackets; b; b = b.prev) if (!b.image) b.active = false;
    return true;
  }

  const handlers: Record<string, () => unknown> = {
    '\n': newline,
    '\\': backslash,
    '`': codeSpan,
    '*': delimiterRun,
    _: delimiterRun,
    '~': delimiterRun,
    '[': openBracket,
    '!': openBracket,
    ']': closeBracket,
    '<': angle,
    '&': () => {
      const m = entityAtStart.exec(subject.slice(pos, pos + 40));
      return m && text(decodeEntity(m[0]), m[0].length);
    },
    $: dollarMath,
    h: bareLink,
    w: bareLink,
  };

  while (pos < subject.length) {
    plainText.lastIndex = pos;
    const m = plainText.exec(subject);
    const c = subject[pos]!;
    if (m) text(m[0]);
    else if (!handlers[c]!()) text(c);
  }
  processEmphasis(undefined);
  return { root, missing };
}
