// Inline markdown of one complete block (CommonMark §6 plus GFM strikethrough and bare URLs, and
// math): code spans, escapes, entities, autolinks, links with the delimiter-stack algorithm of
// CommonMark's appendix, emphasis. It parses the whole block text at once; the block parser decides
// when a block's text changes, and the renderer only touches the DOM where the result did.
import { decodeEntity, entityAtStart } from './entities';
import { createLinkScanner, normalizeLabel, type References } from './link-syntax';
import { safeHref } from './safe-href';

/** The inline content of a block, as the renderer receives it. */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'code'; text: string }
  | { type: 'math'; tex: string; display: boolean }
  | { type: 'html'; html: string }
  | { type: 'emphasis' | 'strong' | 'strikethrough'; children: Inline[] }
  | { type: 'link'; href: string; title: string; children: Inline[] };

/** What a parse found besides its content. */
export interface InlineResult {
  content: Inline[];
  /** Labels used as references that had no definition yet: a later definition changes this block. */
  missing: string[];
}

// A node of the tree being built: siblings are linked so that emphasis can wrap a run of them in O(1).
interface Node {
  type: Inline['type'];
  text: string;
  href: string;
  title: string;
  display: boolean;
  parent: Node | null;
  first: Node | null;
  last: Node | null;
  prev: Node | null;
  next: Node | null;
}

// A run of * _ ~ that may open or close (CommonMark §6.2).
interface Delimiter {
  node: Node;
  char: string;
  count: number;
  length: number;
  canOpen: boolean;
  canClose: boolean;
  prev: Delimiter | null;
  next: Delimiter | null;
}

// An unmatched [ or ![ (§6.3).
interface Bracket {
  node: Node;
  prev: Bracket | null;
  delimiter: Delimiter | null;
  index: number;
  image: boolean;
  active: boolean;
  bracketAfter: boolean;
}

const punctuation = /[\p{P}\p{S}]/u;
const whitespace = /[\s\u00a0]/u;
const escapable = /[!-/:-@[-`{-~]/;
// Sticky: text runs are matched in place, without slicing the subject.
const plainText = /[^\n`[\]\\!<&*_~$hw]+/y;
const uriAutolink = /^<[A-Za-z][A-Za-z\d.+-]{1,31}:[^<>\x00-\x20]*>/;
const emailAutolink =
  /^<([a-zA-Z\d.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z\d](?:[a-zA-Z\d-]{0,61}[a-zA-Z\d])?(?:\.[a-zA-Z\d](?:[a-zA-Z\d-]{0,61}[a-zA-Z\d])?)*)>/;
const htmlTag =
  /^<(?:[A-Za-z][A-Za-z\d-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)*\s*\/?>|\/[A-Za-z][A-Za-z\d-]*\s*>|!--(?:>|->|[\s\S]*?-->)|\?[\s\S]*?\?>|![A-Za-z][^>]*>|!\[CDATA\[[\s\S]*?\]\]>)/;
// GFM's extended autolinks: www. and http(s):// followed by a domain (§6.9 of GFM).
const bareUrl = /^(?:https?:\/\/|www\.)[\w-]+(?:\.[\w-]+)*[^\s<]*/i;

/** Percent-encodes what is not allowed in a URL, keeping escapes already there (as commonmark.js does). */
export const encodeHref = (url: string): string =>
  url.replace(/%(?![\da-fA-F]{2})|[^\w;/?:@&=+$,\-.!~*'()#%]/gu, (c) => encodeURIComponent(c));

const node = (type: Inline['type'], text = ''): Node => ({
  type,
  text,
  href: '',
  title: '',
  display: false,
  parent: null,
  first: null,
  last: null,
  prev: null,
  next: null,
});

function append(parent: Node, child: Node) {
  child.parent = parent;
  child.prev = parent.last;
  child.next = null;
  if (parent.last) parent.last.next = child;
  else parent.first = child;
  parent.last = child;
}

function unlink(n: Node) {
  if (n.prev) n.prev.next = n.next;
  else if (n.parent) n.parent.first = n.next;
  if (n.next) n.next.prev = n.prev;
  else if (n.parent) n.parent.last = n.prev;
  n.parent = n.prev = n.next = null;
}

function insertAfter(anchor: Node, n: Node) {
  n.parent = anchor.parent;
  n.prev = anchor;
  n.next = anchor.next;
  if (anchor.next) anchor.next.prev = n;
  else if (anchor.parent) anchor.parent.last = n;
  anchor.next = n;
}

// Moves the siblings strictly between `from` and `to` (or to the end when `to` is null) into `into`.
function adopt(into: Node, from: Node, to: Node | null) {
  let n = from.next;
  while (n !== null && n !== to) {
    const next = n.next;
    unlink(n);
    append(into, n);
    n = next;
  }
}

function toInlines(parent: Node): Inline[] {
  const out: Inline[] = [];
  for (let n = parent.first; n !== null; n = n.next) {
    const prev = out[out.length - 1];
    if (n.type === 'text') {
      if (n.text === '') continue;
      // Adjacent text (a literal '[' next to its words) becomes one piece, as the DOM would merge it.
      if (prev?.type === 'text') prev.text += n.text;
      else out.push({ type: 'text', text: n.text });
    } else if (n.type === 'break') out.push({ type: 'break' });
    else if (n.type === 'code') out.push({ type: 'code', text: n.text });
    else if (n.type === 'math') out.push({ type: 'math', tex: n.text, display: n.display });
    else if (n.type === 'html') out.push({ type: 'html', html: n.text });
    else if (n.type === 'link')
      out.push({ type: 'link', href: n.href, title: n.title, children: toInlines(n) });
    else out.push({ type: n.type, children: toInlines(n) });
  }
  return out;
}

/** Options of one inline parse. */
export interface InlineOptions {
  references: References;
  /** Inline HTML is kept as HTML (for the sanitizer) instead of text. */
  rawHtml: boolean;
}

/** Parses the inline content of a block. */
export function parseInlines(subject: string, options: InlineOptions): InlineResult {
  const { references, rawHtml } = options;
  const root = node('text');
  const missing: string[] = [];
  let pos = 0;
  let delimiters: Delimiter | null = null;
  let brackets: Bracket | null = null;
  let inLinkText = 0;
  // Where a search for a closing backtick run of each length already failed: searching again from
  // there would fail too, so a text full of unmatched backticks stays linear.
  const noCloser = new Map<number, number>();

  const text = (s: string) => {
    const n = node('text', s);
    append(root, n);
    return n;
  };
  const charBefore = (i: number) => (i > 0 ? subject[i - 1]! : '\n');

  function codeSpan() {
    const run = /^`+/.exec(subject.slice(pos))![0].length;
    const start = pos + run;
    const failedFrom = noCloser.get(run);
    if (failedFrom === undefined || start < failedFrom) {
      const closer = /`+/g;
      closer.lastIndex = start;
      for (let m = closer.exec(subject); m !== null; m = closer.exec(subject)) {
        if (m[0].length !== run) continue;
        let content = subject.slice(start, m.index).replace(/\n/g, ' ');
        if (/^ [\s\S]*[^ ][\s\S]* $/.test(content)) content = content.slice(1, -1);
        append(root, node('code', content));
        pos = m.index + run;
        return;
      }
      noCloser.set(run, start);
    }
    text('`'.repeat(run));
    pos = start;
  }

  // $…$, $$…$$: kept whole. A $ opens only before a non-space and closes only after one, and not
  // before a digit, so "$5 and $10" stays text.
  function dollarMath(): boolean {
    const display = subject.startsWith('$$', pos);
    const fence = display ? '$$' : '$';
    const start = pos + fence.length;
    if (!display && (start >= subject.length || whitespace.test(subject[start]!))) return false;
    let end = subject.indexOf(fence, start);
    while (end !== -1) {
      const ok = display || (!whitespace.test(subject[end - 1]!) && !/\d/.test(subject[end + 1] ?? ''));
      if (ok && end > start && subject[end - 1] !== '\\') break;
      end = subject.indexOf(fence, end + 1);
    }
    if (end === -1) return false;
    const math = node('math', subject.slice(start, end).trim());
    math.display = display;
    append(root, math);
    pos = end + fence.length;
    return true;
  }

  // \(…\) and \[…\], the delimiters models are told to use.
  function bracketMath(): boolean {
    const display = subject[pos + 1] === '[';
    const end = subject.indexOf(display ? '\\]' : '\\)', pos + 2);
    if (end === -1 || subject.slice(pos + 2, end).trim() === '') return false;
    const math = node('math', subject.slice(pos + 2, end).trim());
    math.display = display;
    append(root, math);
    pos = end + 2;
    return true;
  }

  function backslash() {
    const next = subject[pos + 1];
    if ((next === '(' || next === '[') && bracketMath()) return;
    if (next === '\n') {
      append(root, node('break'));
      pos += 2;
      skipLeadingSpaces();
    } else if (next !== undefined && escapable.test(next)) {
      text(next);
      pos += 2;
    } else {
      text('\\');
      pos++;
    }
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
      hard = last.text.length - trimmed.length >= 2;
      last.text = trimmed;
    }
    if (hard) append(root, node('break'));
    else text('\n');
    pos++;
    skipLeadingSpaces();
  }

  function angle() {
    const rest = subject.slice(pos, pos + 4096);
    const email = emailAutolink.exec(rest);
    const uri = email ? null : uriAutolink.exec(rest);
    const m = email ?? uri;
    if (m !== null) {
      const target = m[0].slice(1, -1);
      const href = safeHref(email ? `mailto:${target}` : target);
      pos += m[0].length;
      if (href !== null) {
        const link = node('link');
        link.href = encodeHref(href);
        append(root, link);
        append(link, node('text', target));
      } else text(m[0]);
      return;
    }
    const tag = htmlTag.exec(rest);
    if (tag !== null) {
      pos += tag[0].length;
      if (rawHtml) append(root, node('html', tag[0]));
      else text(tag[0]);
      return;
    }
    text('<');
    pos++;
  }

  function bareLink(): boolean {
    const before = charBefore(pos);
    if (!/^(?:https?:|www\.)/i.test(subject.slice(pos, pos + 6))) return false;
    if (inLinkText > 0 || !(whitespace.test(before) || '*_~('.includes(before))) return false;
    const m = bareUrl.exec(subject.slice(pos, pos + 4096));
    if (m === null) return false;
    let url = m[0];
    // Trailing punctuation, an unbalanced ')' and an entity-like tail are not part of the URL (GFM).
    for (;;) {
      const entity = /&[a-z\d]+;$/i.exec(url);
      if (entity) url = url.slice(0, entity.index);
      else if (/[?!.,:*_~'"]$/.test(url)) url = url.slice(0, -1);
      else if (url.endsWith(')') && url.split('(').length < url.split(')').length) url = url.slice(0, -1);
      else break;
    }
    const host = /^(?:https?:\/\/|www\.)([^/?#]*)/i.exec(url)![1]!;
    if (!/^[\w-]+(?:\.[\w-]+)*$/.test(host) || (/^www\./i.test(url) && !host.includes('.'))) return false;
    const href = safeHref(/^www\./i.test(url) ? `http://${url}` : url);
    if (href === null) return false;
    const link = node('link');
    link.href = encodeHref(href);
    append(root, link);
    append(link, node('text', url));
    pos += url.length;
    return true;
  }

  function entity() {
    const m = entityAtStart.exec(subject.slice(pos, pos + 40));
    if (m === null) {
      text('&');
      pos++;
    } else {
      text(decodeEntity(m[0]));
      pos += m[0].length;
    }
  }

  // A run of * _ ~: which side it is on decides whether it may open or close (§6.2).
  function delimiterRun(char: string) {
    const start = pos;
    while (subject[pos] === char) pos++;
    const count = pos - start;
    const before = charBefore(start);
    const after = pos < subject.length ? subject[pos]! : '\n';
    const beforeSpace = whitespace.test(before);
    const afterSpace = whitespace.test(after);
    const beforePunct = punctuation.test(before);
    const afterPunct = punctuation.test(after);
    const left = !afterSpace && (!afterPunct || beforeSpace || beforePunct);
    const right = !beforeSpace && (!beforePunct || afterSpace || afterPunct);
    const canOpen = char === '_' ? left && (!right || beforePunct) : left;
    const canClose = char === '_' ? right && (!left || afterPunct) : right;
    const n = text(char.repeat(count));
    // GFM strikethrough: exactly two tildes ("~5 min" stays text).
    if ((canOpen || canClose) && (char !== '~' || count === 2)) {
      const d: Delimiter = {
        node: n,
        char,
        count,
        length: count,
        canOpen,
        canClose,
        prev: delimiters,
        next: null,
      };
      if (delimiters) delimiters.next = d;
      delimiters = d;
    }
  }

  function removeDelimiter(d: Delimiter) {
    if (d.prev) d.prev.next = d.next;
    if (d.next) d.next.prev = d.prev;
    else delimiters = d.prev;
  }

  // CommonMark's "process emphasis" (appendix A), above `bottom`.
  function processEmphasis(bottom: Delimiter | null) {
    const openersBottom = new Map<string, Delimiter | null>();
    let closer = delimiters === bottom ? null : delimiters;
    while (closer !== null && closer.prev !== bottom) closer = closer.prev;
    while (closer !== null) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const key = `${closer.char}${closer.canOpen ? 1 : 0}${closer.length % 3}`;
      const floor = openersBottom.has(key) ? openersBottom.get(key)! : bottom;
      let opener = closer.prev;
      let found = false;
      while (opener !== null && opener !== bottom && opener !== floor) {
        const oddMatch =
          (closer.canOpen || opener.canClose) &&
          closer.length % 3 !== 0 &&
          (opener.length + closer.length) % 3 === 0;
        if (opener.char === closer.char && opener.canOpen && !oddMatch) {
          found = true;
          break;
        }
        opener = opener.prev;
      }
      const oldCloser: Delimiter = closer;
      if (found && opener !== null) {
        const use = closer.char === '~' ? 2 : closer.count >= 2 && opener.count >= 2 ? 2 : 1;
        opener.count -= use;
        closer.count -= use;
        opener.node.text = opener.node.text.slice(use);
        closer.node.text = closer.node.text.slice(use);
        const wrapper = node(closer.char === '~' ? 'strikethrough' : use === 2 ? 'strong' : 'emphasis');
        adopt(wrapper, opener.node, closer.node);
        insertAfter(opener.node, wrapper);
        for (let d = closer.prev; d !== null && d !== opener; d = d.prev) removeDelimiter(d);
        if (opener.count === 0) {
          unlink(opener.node);
          removeDelimiter(opener);
        }
        if (closer.count === 0) {
          const next = closer.next;
          unlink(closer.node);
          removeDelimiter(closer);
          closer = next;
        }
      } else {
        closer = closer.next;
        openersBottom.set(key, oldCloser.prev);
        if (!oldCloser.canOpen) removeDelimiter(oldCloser);
      }
    }
    while (delimiters !== null && delimiters !== bottom) removeDelimiter(delimiters);
  }

  function openBracket(image: boolean) {
    const n = text(image ? '![' : '[');
    pos += image ? 2 : 1;
    if (brackets) brackets.bracketAfter = true;
    brackets = {
      node: n,
      prev: brackets,
      delimiter: delimiters,
      index: pos,
      image,
      active: true,
      bracketAfter: false,
    };
    if (!image) inLinkText++;
  }

  function closeBracket() {
    pos++;
    const opener = brackets;
    if (opener === null) {
      text(']');
      return;
    }
    brackets = opener.prev;
    if (!opener.image) inLinkText--;
    if (!opener.active) {
      text(']');
      return;
    }
    const afterBracket = pos;
    let target: { destination: string; title: string } | null = null;
    // An inline link: (destination "title").
    if (subject[pos] === '(') {
      const s = createLinkScanner(subject, pos + 1);
      s.spaces();
      const destination = subject[s.pos] === ')' ? '' : s.destination();
      if (destination !== null) {
        const gap = s.spaces();
        const title = gap > 0 ? s.title() : null;
        s.spaces();
        if (subject[s.pos] === ')') {
          target = { destination, title: title ?? '' };
          pos = s.pos + 1;
        }
      }
    }
    // A reference link: [text][label], [label][] or [label].
    if (target === null) {
      const s = createLinkScanner(subject, pos);
      let label = s.label();
      const collapsed = label === null && subject.startsWith('[]', pos);
      if (label === null && !opener.bracketAfter) label = subject.slice(opener.index - 1, afterBracket);
      if (label !== null && label.length <= 1001) {
        const key = normalizeLabel(label);
        const found = references.get(key);
        if (found) {
          target = found;
          pos = s.pos !== pos ? s.pos : collapsed ? pos + 2 : pos;
        } else if (key !== '') missing.push(key);
      }
    }
    if (target === null) {
      text(']');
      return;
    }
    // Images are shown as links to the image (a model cannot make the page load anything).
    const href = safeHref(target.destination);
    const link = node(href === null ? 'text' : 'link');
    link.href = href === null ? '' : encodeHref(href);
    link.title = target.title;
    insertAfter(opener.node, link);
    adopt(link, link, null);
    processEmphasis(opener.delimiter);
    unlink(opener.node);
    if (href === null) {
      // Not a URL we allow: the reader gets the link text, never a clickable javascript: or data: URL.
      let anchor = link;
      for (let n = link.first; n !== null; ) {
        const next: Node | null = n.next;
        unlink(n);
        insertAfter(anchor, n);
        anchor = n;
        n = next;
      }
      unlink(link);
      return;
    }
    // No links inside links: earlier openers become plain brackets.
    if (!opener.image)
      for (let b = brackets as Bracket | null; b !== null; b = b.prev) if (!b.image) b.active = false;
  }

  while (pos < subject.length) {
    const c = subject[pos]!;
    plainText.lastIndex = pos;
    const m = plainText.exec(subject);
    if (m !== null) {
      text(m[0]);
      pos += m[0].length;
      continue;
    }
    switch (c) {
      case '\n':
        newline();
        break;
      case '\\':
        backslash();
        break;
      case '`':
        codeSpan();
        break;
      case '*':
      case '_':
      case '~':
        delimiterRun(c);
        break;
      case '[':
        openBracket(false);
        break;
      case '!':
        if (subject[pos + 1] === '[') openBracket(true);
        else {
          text('!');
          pos++;
        }
        break;
      case ']':
        closeBracket();
        break;
      case '<':
        angle();
        break;
      case '&':
        entity();
        break;
      case '$':
        if (!dollarMath()) {
          text('$');
          pos++;
        }
        break;
      default:
        // 'h' or 'w': the start of a bare URL, or an ordinary letter.
        if (!bareLink()) {
          text(c);
          pos++;
        }
    }
  }
  processEmphasis(null);
  return { content: toInlines(root), missing };
}
