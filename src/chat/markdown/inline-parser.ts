// Inline markdown (emphasis, strikethrough, code spans, links, autolinks, escapes, breaks), one block
// Decisions are made as soon as the next character settles them, so only a delimiter run, a link
// being read or an autolink candidate is ever held back; everything else goes out as text.
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
  | 'scheme'
  | 'url'
  | 'html';

type OpenInline = { kind: 'emphasis' | 'strong' | 'strikethrough'; ch: string } | { kind: 'link' };

// Bounds how much is ever held back for one construct, so a stray '[' or '<' cannot stall the output.
const maxHeld = 2048;
const voidElements = new Set(['br', 'hr', 'img', 'wbr', 'input', 'area', 'col', 'embed', 'source', 'track']);
const punctuation = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
const autolink = /^(?:https?:\/\/|mailto:)[^\s<>]+$/i;
const htmlTag = /^\/?([A-Za-z][A-Za-z0-9-]*)(?:\s[\s\S]*)?$/;

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n';
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
  const stack: OpenInline[] = [];
  // Length of the backtick run that opened the current code span; 0 outside one.
  let codeTicks = 0;
  let run = 0;
  let runCh = '';
  let linkText = '';
  let image = false;
  // A link destination, an autolink candidate or an inline HTML element being read.
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
  // Re-feeds characters that were held for a construct that did not materialise. `links` is off when
  // replaying a failed link, so each character is held at most once more and the work stays linear.
  const replay = (s: string, links: boolean) => {
    const before = noLinks;
    noLinks = !links;
    for (let i = 0; i < s.length; i++) step(s[i]!);
    noLinks = before;
  };

  function resolveTicks(atLineEnd: boolean) {
    const n = run;
    if (codeTicks > 0) {
      mode = 'code';
      if (n === codeTicks) {
        close();
        codeTicks = 0;
        mode = 'text';
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
      if (!top || top.kind === 'link' || top.ch !== runCh) break;
      const need = top.kind === 'emphasis' ? 1 : 2;
      if (n < need) break;
      close();
      stack.pop();
      n -= need;
      closed = true;
    }
    if (runCh === '~') {
      // GFM strikethrough is exactly two tildes; a single one ("~5 min") is text.
      if (n === 2 && canOpen && !closed) {
        open({ type: 'strikethrough' });
        stack.push({ kind: 'strikethrough', ch: '~' });
        n = 0;
        atStart = false;
      }
    } else if (n > 0 && canOpen && !closed) {
      if (n > 3) {
        literal(runCh.repeat(n - 3));
        n = 3;
      }
      if (n >= 2) {
        open({ type: 'strong' });
        stack.push({ kind: 'strong', ch: runCh });
      }
      if (n !== 2) {
        open({ type: 'emphasis' });
        stack.push({ kind: 'emphasis', ch: runCh });
      }
      n = 0;
      atStart = false;
    }
    if (n > 0) literal(runCh.repeat(n));
    prev = runCh;
  }

  function abandonLink(tail: string) {
    mode = 'text';
    const label = linkText;
    linkText = '';
    literal(image ? '![' : '[');
    replay(label + tail, false);
  }

  function completeLink() {
    mode = 'text';
    const label = linkText;
    const destination = held;
    linkText = '';
    held = '';
    const href = safeHref(destination);
    if (href === null) {
      // Not a link we allow: the reader sees the label, never a clickable javascript: or data: URL.
      replay(label, false);
      return;
    }
    open({ type: 'link', href });
    stack.push({ kind: 'link' });
    inLink = true;
    replay(label === '' ? destination : label, false);
    settle(false);
    if (codeTicks > 0) {
      close();
      codeTicks = 0;
      mode = 'text';
    }
    while (stack.length > 0) {
      const top = stack.pop()!;
      close();
      if (top.kind === 'link') break;
    }
    inLink = false;
    prev = ')';
  }

  function abandonAngle() {
    mode = 'text';
    const content = held;
    held = '';
    literal('<');
    replay(content, true);
  }

  function completeAngle() {
    mode = 'text';
    const content = held;
    held = '';
    if (autolink.test(content) && !inLink) {
      const href = safeHref(content);
      if (href !== null) {
        open({ type: 'link', href });
        literal(content);
        close();
        return;
      }
    }
    const tag = rawHtml ? htmlTag.exec(content) : null;
    if (tag) {
      const name = tag[1]!.toLowerCase();
      held = `<${content}>`;
      if (content.startsWith('/') || content.endsWith('/') || voidElements.has(name)) emitHtml();
      else {
        htmlName = name;
        mode = 'html';
      }
      return;
    }
    literal('<');
    replay(content, true);
    literal('>');
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
    else {
      open({ type: 'link', href });
      literal(url);
      close();
    }
    replay(trailing, true);
  }

  function abandonScheme() {
    mode = 'text';
    const content = held;
    held = '';
    literal(content[0]!);
    replay(content.slice(1), true);
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
        case 'bang':
          mode = 'text';
          literal('!');
          break;
        case 'link-text':
          abandonLink('');
          break;
        case 'link-close':
          abandonLink(']');
          break;
        case 'link-dest':
          abandonLink(`](${held}`);
          held = '';
          break;
        case 'link-title':
          abandonLink(`](${held} `);
          held = '';
          break;
        case 'angle':
          abandonAngle();
          break;
        case 'scheme':
          abandonScheme();
          break;
        case 'url':
          completeUrl();
          break;
        case 'html':
          emitHtml();
          break;
        default:
          return backslash;
      }
    }
  }

  function step(ch: string) {
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
        if (punctuation.has(ch)) literal(ch);
        else {
          literal('\\');
          step(ch);
        }
        return;
      case 'bang':
        mode = 'text';
        if (ch === '[') {
          image = true;
          linkText = '';
          mode = 'link-text';
        } else {
          literal('!');
          step(ch);
        }
        return;
      case 'link-text':
        if (ch === ']') mode = 'link-close';
        else if (ch === '[' || linkText.length >= maxHeld) {
          abandonLink('');
          step(ch);
        } else linkText += ch;
        return;
      case 'link-close':
        if (ch === '(') {
          mode = 'link-dest';
          held = '';
          parens = 0;
        } else {
          abandonLink(']');
          step(ch);
        }
        return;
      case 'link-dest':
        if (ch === ')' && parens === 0) completeLink();
        else if (ch === ' ') mode = 'link-title';
        else if (held.length >= maxHeld) {
          abandonLink(`](${held}`);
          held = '';
          step(ch);
        } else {
          if (ch === '(') parens++;
          else if (ch === ')') parens--;
          held += ch;
        }
        return;
      case 'link-title':
        // A title ("…") is accepted and dropped: it would only become an attribute.
        if (ch === ')') completeLink();
        return;
      case 'angle':
        if (ch === '>') completeAngle();
        else if (ch === '<' || (ch === ' ' && !rawHtml) || held.length >= maxHeld) {
          abandonAngle();
          step(ch);
        } else held += ch;
        return;
      case 'scheme':
        held += ch;
        if (held === 'http://' || held === 'https://') mode = 'url';
        else if (!'https://'.startsWith(held) && !'http://'.startsWith(held)) {
          held = held.slice(0, -1);
          abandonScheme();
          step(ch);
        }
        return;
      case 'url':
        if (ch === ' ' || ch === '\t' || ch === '<' || ch === '>' || held.length >= maxHeld) {
          completeUrl();
          step(ch);
        } else held += ch;
        return;
      case 'html':
        held += ch;
        if ((ch === '>' && held.toLowerCase().endsWith(`</${htmlName}>`)) || held.length >= maxHeld)
          emitHtml();
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
        if (inLink || noLinks) break;
        image = false;
        linkText = '';
        mode = 'link-text';
        return;
      case '!':
        if (inLink || noLinks) break;
        mode = 'bang';
        return;
      case '<':
        mode = 'angle';
        held = '';
        return;
      case 'h':
        if (inLink || noLinks || isAlphanumeric(prev)) break;
        mode = 'scheme';
        held = 'h';
        return;
    }
    literal(ch);
  }

  function reset() {
    spaces = 0;
    atStart = true;
    prev = ' ';
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
      settle(false);
      if (codeTicks > 0) {
        close();
        codeTicks = 0;
        mode = 'text';
      }
      while (stack.length > 0) {
        stack.pop();
        close();
      }
      inLink = false;
      flush();
      reset();
    },
  };
}
