// Inline markdown (emphasis, strikethrough, code spans, links, autolinks, escapes, breaks), one block
// at a time. Decisions are made as soon as the next character settles them, so only a run of
// delimiters or backticks, or a link, `<…>` or bare URL being read, is ever held back; everything else
// goes out as text.
import { safeHref } from './safe-href';
import type { Renderer } from './tokens';

/** Parses the inline content of one block, character by character. */
export interface InlineParser {
  /** Feeds one character (never a newline: the block parser owns lines). */
  step(ch: string): void;
  /** The current line ended; settles what was held back and says whether it asked for a hard break. */
  lineEnd(): boolean;
  /** The block goes on with another line, joined by a line break (hard) or a newline (soft). */
  lineBreak(hard: boolean): void;
  /** The block ended: settles what was held back and closes every open inline element. */
  finish(): void;
  /** Hands batched text to the renderer. */
  flush(): void;
  /** True right after an unescaped backslash, so a table row knows `\|` is not a cell boundary. */
  readonly escaping: boolean;
}

type Mode =
  | 'text'
  | 'escape'
  | 'delims'
  | 'ticks'
  | 'code'
  | 'bang'
  | 'link-text'
  | 'link-close'
  | 'link-dest'
  | 'link-title'
  | 'angle'
  | 'url'
  | 'html';

// Bounds how much is ever held back for one construct, so a stray '[' or '<' cannot stall the output.
const maxHeld = 2048;
// HTML elements that have no closing tag.
const voidElement = /^(?:br|hr|img|wbr|input|area|col|embed|source|track)$/;
// What a backslash escapes: ASCII punctuation, the four printable ranges outside letters and digits.
const punctuation = /[!-/:-@[-`{-~]/;
const autolink = /^(?:https?:\/\/|mailto:)[^\s<>]+$/i;
const htmlTag = /^\/?([a-z][a-z\d-]*)(?:\s.*)?$/i;

const isSpace = (ch: string) => /\s/.test(ch);
const isAlphanumeric = (ch: string) => /^[\p{L}\p{N}]$/u.test(ch);

/**
 * Creates an inline parser writing to `renderer`. With `rawHtml`, inline tags are collected and handed
 * to `renderer.html` (which sanitizes them); without it they stay text.
 */
export function createInlineParser(renderer: Renderer, rawHtml: boolean): InlineParser {
  let mode: Mode = 'text';
  let text = '';
  // Spaces are held until a non-space follows: trailing ones are dropped or make a hard break.
  let spaces = 0;
  let atStart = true;
  // The character before a delimiter run: with the one after it, decides whether the run opens or closes.
  let prev = ' ';
  // Open inline elements, innermost last, each as the delimiter run that closes it (']' for a link).
  const stack: string[] = [];
  // Length of the backtick run that opened the current code span; 0 outside one.
  let codeTicks = 0;
  let run = 0;
  let runCh = '';
  // The raw text of a construct being read (a link or image, `<…>`, a bare URL, an inline HTML
  // element), from its first character; empty in the other modes.
  let held = '';
  let parens = 0;
  let htmlName = '';
  let inLink = false;
  let noLinks = false;

  const flush = () => {
    if (text !== '') {
      renderer.text(text);
      text = '';
    }
  };
  const literal = (s: string) => {
    text += s;
    prev = s[s.length - 1]!;
    atStart = false;
  };
  const open = (token: Parameters<Renderer['open']>[0]) => {
    flush();
    renderer.open(token);
  };
  const close = () => {
    flush();
    renderer.close();
  };
  // Re-feeds characters that were held for a construct that did not materialise; `links: false` keeps
  // them from being held as a link again.
  const replay = (s: string, links: boolean) => {
    const before = noLinks;
    noLinks = !links;
    for (let i = 0; i < s.length; i++) step(s[i]!);
    noLinks = before;
  };

  function closeCode() {
    close();
    codeTicks = 0;
    mode = 'text';
  }

  // Closes the open code span and inline elements, down to and including the innermost link.
  function closeInlines() {
    settle(false);
    if (codeTicks > 0) closeCode();
    while (stack.length > 0) {
      const top = stack.pop();
      close();
      if (top === ']') break;
    }
    inLink = false;
  }

  function openInline(type: 'emphasis' | 'strong' | 'strikethrough', delimiter: string) {
    open({ type });
    stack.push(delimiter);
  }

  function resolveTicks(atLineEnd: boolean) {
    const n = run;
    if (codeTicks > 0) {
      mode = 'code';
      if (n === codeTicks) {
        closeCode();
        prev = '`';
      } else text += '`'.repeat(n);
    } else if (atLineEnd) {
      mode = 'text';
      literal('`'.repeat(n));
    } else {
      // Optimistic: the span is styled as code from its first backtick, like a code block.
      open({ type: 'code' });
      codeTicks = n;
      mode = 'code';
      atStart = false;
    }
  }

  function resolveDelims(next: string) {
    mode = 'text';
    let n = run;
    let canOpen = !isSpace(next);
    let canClose = !isSpace(prev);
    if (runCh === '_') {
      // Intraword underscores (snake_case) are never emphasis.
      canOpen &&= !isAlphanumeric(prev);
      canClose &&= !isAlphanumeric(next);
    }
    let closed = false;
    while (canClose && n > 0) {
      const top = stack[stack.length - 1];
      if (top?.[0] !== runCh || n < top.length) break;
      close();
      stack.pop();
      n -= top.length;
      closed = true;
    }
    // GFM strikethrough is exactly two tildes; a single one ("~5 min") is text.
    if (n > 0 && canOpen && !closed && (runCh !== '~' || n === 2)) {
      if (n > 3) {
        literal(runCh.repeat(n - 3));
        n = 3;
      }
      if (n >= 2) openInline(runCh === '~' ? 'strikethrough' : 'strong', runCh + runCh);
      if (n !== 2) openInline('emphasis', runCh);
      n = 0;
      atStart = false;
    }
    if (n > 0) literal(runCh.repeat(n));
    prev = runCh;
  }

  // Gives up a link, image or `<…>` being read: its first character is text and the rest is read
  // again. Links are off while re-reading a failed link, so each character is held at most once more
  // and the work stays linear.
  function abandon() {
    const raw = held;
    const links = mode === 'angle';
    mode = 'text';
    held = '';
    literal(raw[0]!);
    replay(raw.slice(1), links);
  }

  // Gives up whatever is being held: a URL or an HTML element is taken as it is so far.
  function giveUp() {
    if (mode === 'url') completeUrl();
    else if (mode === 'html') emitHtml();
    else abandon();
  }

  // `[label](destination "title")` or `![label](…)` was read up to its final ')'. Neither the label
  // nor the destination contains a bracket, and a space ends the destination.
  function completeLink() {
    const raw = held;
    mode = 'text';
    held = '';
    const labelEnd = raw.indexOf(']');
    const label = raw.slice(raw.indexOf('[') + 1, labelEnd);
    const destination = raw.slice(labelEnd + 2).split(' ')[0]!;
    const href = safeHref(destination);
    if (href === null) {
      // Not a link we allow: the reader sees the label, never a clickable javascript: or data: URL.
      replay(label, false);
      return;
    }
    open({ type: 'link', href });
    stack.push(']');
    inLink = true;
    replay(label === '' ? destination : label, false);
    closeInlines();
    prev = ')';
  }

  function completeAngle() {
    const content = held.slice(1);
    const href = autolink.test(content) && !inLink ? safeHref(content) : null;
    if (href !== null) {
      mode = 'text';
      held = '';
      link(href, content);
      return;
    }
    const tag = rawHtml ? htmlTag.exec(content) : null;
    if (tag) {
      htmlName = tag[1]!.toLowerCase();
      held += '>';
      // A closing, self-closing or void tag is complete; any other is held until its closing tag.
      if (/^\/|\/$/.test(content) || voidElement.test(htmlName)) emitHtml();
      else mode = 'html';
      return;
    }
    abandon();
    literal('>');
  }

  // An autolink or a bare URL: the link's text is its URL.
  function link(href: string, url: string) {
    open({ type: 'link', href });
    literal(url);
    close();
  }

  // A bare URL (GFM's extended autolink) is read to its end before it becomes a link, since its
  // href is the whole URL. Trailing punctuation is left out, as GFM does ("see https://x.io.").
  function completeUrl() {
    mode = 'text';
    let url = held;
    held = '';
    let trailing = '';
    for (;;) {
      const last = url[url.length - 1]!;
      const unbalancedParen = last === ')' && url.split('(').length < url.split(')').length;
      if (!'.,:;!?*_~\'"'.includes(last) && !unbalancedParen) break;
      trailing = last + trailing;
      url = url.slice(0, -1);
    }
    const href = /^https?:\/\/[^/?#]/.test(url) ? safeHref(url) : null;
    if (href === null) literal(url);
    else link(href, url);
    replay(trailing, true);
  }

  function emitHtml() {
    mode = 'text';
    flush();
    renderer.html(held);
    held = '';
    atStart = false;
    prev = '>';
  }

  // Settles whatever is held back, as if the text ended here. Returns true for a backslash at the end.
  function settle(atLineEnd: boolean): boolean {
    let backslash = false;
    for (;;) {
      switch (mode) {
        case 'escape':
          mode = 'text';
          if (atLineEnd) backslash = true;
          else literal('\\');
          break;
        case 'delims':
          resolveDelims('\n');
          break;
        case 'ticks':
          resolveTicks(true);
          break;
        case 'text':
        case 'code':
          return backslash;
        default:
          giveUp();
      }
    }
  }

  // Reads the next character of a link, an image or a `<…>` being held. Returns false when the
  // character shows it is not one after all.
  function hold(ch: string): boolean {
    switch (mode) {
      case 'bang':
        if (ch !== '[') return false;
        mode = 'link-text';
        break;
      case 'link-text':
        if (ch === '[') return false;
        if (ch === ']') mode = 'link-close';
        break;
      case 'link-close':
        if (ch !== '(') return false;
        mode = 'link-dest';
        parens = 0;
        break;
      case 'link-dest':
        if (ch === ')' && parens === 0) {
          completeLink();
          return true;
        }
        if (ch === ' ') mode = 'link-title';
        else if (ch === '(') parens++;
        else if (ch === ')') parens--;
        break;
      case 'link-title':
        // A title ("…") is accepted and dropped: it would only become an attribute.
        if (ch === ')') {
          completeLink();
          return true;
        }
        break;
      case 'angle':
        if (ch === '>') {
          completeAngle();
          return true;
        }
        if (ch === '<' || (ch === ' ' && !rawHtml)) return false;
    }
    held += ch;
    return true;
  }

  function step(ch: string) {
    // Nothing is held longer than maxHeld characters.
    if (held.length >= maxHeld) giveUp();
    switch (mode) {
      case 'code':
        if (ch === '`') {
          mode = 'ticks';
          run = 1;
        } else text += ch;
        return;
      case 'ticks':
        if (ch === '`') run++;
        else {
          resolveTicks(false);
          step(ch);
        }
        return;
      case 'delims':
        if (ch === runCh) run++;
        else {
          resolveDelims(ch);
          step(ch);
        }
        return;
      case 'escape':
        mode = 'text';
        if (punctuation.test(ch)) literal(ch);
        else {
          literal('\\');
          step(ch);
        }
        return;
      case 'bang':
      case 'link-text':
      case 'link-close':
      case 'link-dest':
      case 'link-title':
      case 'angle':
        if (!hold(ch)) {
          abandon();
          step(ch);
        }
        return;
      case 'url': {
        // Until its scheme is complete, a URL is given up as soon as it stops spelling one.
        const next = held + ch;
        const grows = /^https?:\/\//.test(held)
          ? !' \t<>'.includes(ch)
          : 'https://'.startsWith(next) || 'http://'.startsWith(next);
        if (grows) held = next;
        else {
          completeUrl();
          step(ch);
        }
        return;
      }
      case 'html':
        held += ch;
        if (ch === '>' && held.toLowerCase().endsWith(`</${htmlName}>`)) emitHtml();
        return;
    }
    // mode === 'text'
    if (ch === ' ' || ch === '\t') {
      if (!atStart) spaces++;
      prev = ' ';
      return;
    }
    if (spaces > 0) {
      text += ' '.repeat(spaces);
      spaces = 0;
    }
    switch (ch) {
      case '\\':
        mode = 'escape';
        return;
      case '*':
      case '_':
      case '~':
        mode = 'delims';
        runCh = ch;
        run = 1;
        return;
      case '`':
        mode = 'ticks';
        run = 1;
        return;
      case '[':
      case '!':
        if (inLink || noLinks) break;
        mode = ch === '[' ? 'link-text' : 'bang';
        held = ch;
        return;
      case '<':
        mode = 'angle';
        held = ch;
        return;
      case 'h':
        if (inLink || noLinks || isAlphanumeric(prev)) break;
        mode = 'url';
        held = ch;
        return;
    }
    literal(ch);
  }

  return {
    step,
    flush,
    get escaping() {
      return mode === 'escape';
    },
    lineEnd() {
      const backslash = settle(true);
      const hard = codeTicks === 0 && (spaces >= 2 || backslash);
      spaces = 0;
      return hard;
    },
    lineBreak(hard) {
      if (codeTicks > 0) text += ' ';
      else if (hard) {
        open({ type: 'break' });
        close();
      } else text += '\n';
      prev = '\n';
      atStart = true;
    },
    finish() {
      // No link is open here (one closes as soon as its destination is read), so this closes all.
      closeInlines();
      flush();
      spaces = 0;
      atStart = true;
      prev = ' ';
    },
  };
}
