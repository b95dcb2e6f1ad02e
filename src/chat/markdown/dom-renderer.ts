// The renderer that builds DOM from the block parser's calls. Closed blocks are never touched again;
// the open paragraph is re-rendered from its text after each push, and `morph` changes only what
// differs (usually: appends to its last text node), so a selection in it survives the reply's growth.
import type { Block, BlockRenderer } from './block-parser';
import { createCopyButton } from './copy-button';
import type { Inline } from './inline-parser';
import { type MarkdownOptions, type MarkdownStrings, markdownStrings } from './options';
import { safeFragment, sanitizedFragment } from './safe-fragment';

// What the renderer keeps per block.
interface View {
  element: HTMLElement;
  /** Where children go: the element itself, or a code block's <code>, a table's <table>. */
  content: HTMLElement;
  /** A code block's text and the line still arriving. */
  code?: Text;
  tail?: Text;
  checkbox?: HTMLInputElement | undefined;
  body?: HTMLElement;
}

const tagOf: Partial<Record<Block['type'], string>> = {
  quote: 'blockquote',
  item: 'li',
  rule: 'hr',
  html: 'div',
};

const sameAttributes = (a: Element, b: Element) =>
  a.attributes.length === b.attributes.length &&
  [...a.attributes].every((attr) => b.getAttribute(attr.name) === attr.value);

/** Makes `into`'s children equal to `from`'s, keeping every node that already matches. */
export function morph(into: Node, from: Node) {
  const next = [...from.childNodes];
  let i = 0;
  for (; i < next.length && i < into.childNodes.length; i++) {
    const a = into.childNodes[i]!;
    const b = next[i]!;
    if (a.isEqualNode(b)) continue;
    if (a.nodeType === 3 && b.nodeType === 3 && (b as Text).data.startsWith((a as Text).data)) {
      (a as Text).appendData((b as Text).data.slice((a as Text).data.length));
      continue;
    }
    if (a.nodeType === 1 && a.nodeName === b.nodeName && sameAttributes(a as Element, b as Element)) {
      morph(a, b);
      continue;
    }
    break;
  }
  while (into.childNodes.length > i) into.lastChild!.remove();
  for (; i < next.length; i++) into.appendChild(next[i]!);
}

/** Creates a renderer that appends to `target`. */
export function createDomRenderer(target: HTMLElement, options: MarkdownOptions): BlockRenderer {
  const doc = target.ownerDocument;
  const strings: MarkdownStrings = { ...markdownStrings, ...options.strings };
  const views = new WeakMap<Block, View>();
  const math = new Map<string, Node>();
  let previewNodes: Node[] = [];

  const view = (b: Block) => views.get(b)!;
  const contentOf = (b: Block): HTMLElement => (b.type === 'document' ? target : view(b).content);
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, parent: Node | null, className = '') => {
    const node = doc.createElement(tag);
    if (className !== '') node.className = className;
    parent?.appendChild(node);
    return node;
  };
  // A paragraph directly in a tight list's item has no <p> of its own (CommonMark); a <span> keeps it
  // one element, so the list turning loose is a change of tag.
  const paragraphTag = (b: Block) => (b.parent!.type === 'item' && b.parent!.parent!.tight ? 'span' : 'p');

  function mathNode(tex: string, display: boolean): Node {
    const key = `${display}${tex}`;
    let node = math.get(key);
    if (node === undefined) {
      try {
        node = options.mathRenderer?.(tex, { display });
      } catch {
        node = undefined;
      }
      // Without a renderer (or when it fails) the TeX shows as code, exactly as written.
      if (!(node instanceof doc.defaultView!.Node)) {
        node = make('code', null, display ? 'cw-math cw-math-display' : 'cw-math');
        node.textContent = tex;
      }
      math.set(key, node);
    }
    return node.cloneNode(true);
  }

  function html(markup: string): Node {
    try {
      if (options.htmlSanitizer) return sanitizedFragment(doc, options.htmlSanitizer(markup));
    } catch {}
    return doc.createTextNode(markup);
  }

  const escapeHtml = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const hasHtml = (content: Inline[]): boolean =>
    content.some((item) => item.type === 'html' || ('children' in item && hasHtml(item.children)));

  // With a sanitizer, content holding inline HTML goes through it as one piece, so that an element
  // opened in one tag and closed in another (`<kbd>Ctrl</kbd>`) is one element.
  function serialize(content: Inline[]): string {
    return content
      .map((item) => {
        switch (item.type) {
          case 'text':
            return escapeHtml(item.text);
          case 'break':
            return '<br>';
          case 'code':
          case 'math':
            return `<code>${escapeHtml(item.type === 'code' ? item.text : item.tex)}</code>`;
          case 'html':
            return item.html;
          case 'link': {
            const title = item.title === '' ? '' : ` title="${escapeHtml(item.title)}"`;
            const target = options.markdownLinkTarget === 'self' ? '' : ' target="_blank"';
            return `<a href="${escapeHtml(item.href)}"${title} rel="noopener noreferrer"${target}>${serialize(item.children)}</a>`;
          }
          default: {
            const tag = item.type === 'emphasis' ? 'em' : item.type === 'strong' ? 'strong' : 'del';
            return `<${tag}>${serialize(item.children)}</${tag}>`;
          }
        }
      })
      .join('');
  }

  function inlines(parent: Node, content: Inline[]) {
    if (options.htmlSanitizer && hasHtml(content)) {
      parent.appendChild(html(serialize(content)));
      return;
    }
    for (const item of content) {
      switch (item.type) {
        case 'text':
          parent.appendChild(doc.createTextNode(item.text));
          break;
        case 'break':
          make('br', parent);
          break;
        case 'code':
          make('code', parent).textContent = item.text;
          break;
        case 'math':
          parent.appendChild(mathNode(item.tex, item.display));
          break;
        case 'html':
          parent.appendChild(html(item.html));
          break;
        case 'link': {
          const link = make('a', parent);
          link.setAttribute('href', item.href);
          if (item.title !== '') link.title = item.title;
          link.rel = 'noopener noreferrer';
          if (options.markdownLinkTarget !== 'self') link.target = '_blank';
          inlines(link, item.children);
          break;
        }
        default:
          inlines(
            make(item.type === 'emphasis' ? 'em' : item.type === 'strong' ? 'strong' : 'del', parent),
            item.children,
          );
      }
    }
  }

  function codeBlock(b: Block, parent: HTMLElement): View {
    const wrapper = make('div', parent, 'cw-code');
    // The language goes into a class name and to the highlighter: letters, digits and +#.-_ only.
    const language = b.language.replace(/[^\p{L}\p{N}_+#.-]/gu, '').slice(0, 32);
    const code = make('code', null, language && `language-${language}`);
    if (language !== '' || options.showCodeBlockCopyButton !== false) {
      const header = make('div', wrapper, 'cw-code-header');
      if (language !== '') make('span', header, 'cw-code-lang').textContent = language;
      if (options.showCodeBlockCopyButton !== false) header.appendChild(createCopyButton(doc, code, strings));
    }
    // A long line scrolls the block sideways: focusable and named, so a keyboard can scroll it too.
    const pre = make('pre', wrapper);
    pre.tabIndex = 0;
    pre.setAttribute('role', 'region');
    const { codeLabel } = strings;
    pre.setAttribute(
      'aria-label',
      language ? codeLabel.replace('{language}', language) : codeLabel.replace(/[: ]*\{language\}/, ''),
    );
    pre.appendChild(code);
    return {
      element: wrapper,
      content: code,
      code: code.appendChild(doc.createTextNode('')),
      tail: code.appendChild(doc.createTextNode('')),
    };
  }

  function highlight(b: Block, v: View) {
    const highlighter = options.syntaxHighlighter;
    if (!highlighter) return;
    const language = v.content.className.replace(/^language-/, '');
    try {
      const out = highlighter(b.text, language);
      if (typeof out !== 'string') return;
      v.content.replaceChildren(
        options.htmlSanitizer ? sanitizedFragment(doc, options.htmlSanitizer(out)) : safeFragment(doc, out),
      );
    } catch {
      // A highlighter or sanitizer that throws (highlight.js on an unknown language) leaves plain text.
    }
  }

  function retag(v: View, tag: string) {
    const element = doc.createElement(tag);
    for (const attr of v.element.attributes) element.setAttribute(attr.name, attr.value);
    element.append(...v.element.childNodes);
    v.element.replaceWith(element);
    v.element = v.content = element;
  }

  return {
    add(b) {
      const parent = contentOf(b.parent!);
      let v: View;
      if (b.type === 'code') v = codeBlock(b, parent);
      else if (b.type === 'table') {
        // The box scrolls a wide table sideways instead of widening the message; focusable and named.
        const box = make('div', parent, 'cw-table');
        box.tabIndex = 0;
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', strings.tableLabel);
        v = { element: box, content: make('table', box) };
      } else {
        const tag =
          b.type === 'list'
            ? b.ordered
              ? 'ol'
              : 'ul'
            : b.type === 'heading'
              ? `h${b.level}`
              : b.type === 'paragraph'
                ? paragraphTag(b)
                : tagOf[b.type]!;
        const element = doc.createElement(tag);
        if (b.type === 'list' && b.ordered && b.startNumber !== 1)
          element.setAttribute('start', String(b.startNumber));
        parent.appendChild(element);
        v = { element, content: element };
      }
      views.set(b, v);
    },
    retype(b) {
      if (b.type === 'heading') retag(view(b), `h${b.level}`);
      else
        for (const item of b.children)
          for (const child of item.children) if (child.type === 'paragraph') retag(view(child), 'p');
    },
    inlines(b, content, task) {
      const v = view(b);
      const fresh = doc.createDocumentFragment();
      inlines(fresh, content);
      morph(v.element, fresh);
      if (task === null) {
        v.checkbox?.remove();
        v.checkbox = undefined;
      } else {
        if (!v.checkbox) {
          v.checkbox = make('input', null);
          v.checkbox.type = 'checkbox';
          v.checkbox.disabled = true;
          v.element.before(v.checkbox, ' ');
        }
        // A task item's checkbox is named by the item's text.
        v.checkbox.setAttribute('aria-label', v.element.textContent ?? '');
        v.checkbox.checked = task;
        v.checkbox.toggleAttribute('checked', task);
      }
    },
    code(b, text, tail) {
      const v = view(b);
      const code = v.code!;
      // The text only grows while the block is open: appending keeps the work per push small.
      if (text.length >= code.length) code.appendData(text.slice(code.length));
      else code.data = text;
      if (v.tail!.data !== tail) v.tail!.data = tail;
    },
    row(table, cells, header) {
      const v = view(table);
      let section = header ? make('thead', v.content) : v.body;
      if (!section) section = v.body = make('tbody', v.content);
      const row = make('tr', section);
      cells.forEach((cell, i) => {
        const align = table.aligns[i];
        inlines(make(header ? 'th' : 'td', row, align ? `cw-align-${align}` : ''), cell);
      });
    },
    close(b) {
      const v = view(b);
      if (b.type === 'code') {
        v.tail!.remove();
        highlight(b, v);
      } else if (b.type === 'html') v.element.replaceWith(html(b.text.trimEnd()));
    },
    remove(b) {
      view(b).element.remove();
    },
    preview(parent, containers, content) {
      const first = containers[0];
      let list = parent.type === 'list' ? parent : null;
      // Only an item goes into an open list; anything else closes it and follows it.
      if (
        list &&
        (first?.type !== 'item' || list.ordered !== first.ordered || list.marker !== first.marker)
      ) {
        parent = list.parent!;
        list = null;
      }
      let host: HTMLElement = list ? view(list).element : contentOf(parent);
      containers.forEach((c, i) => {
        let node: HTMLElement;
        let inner: HTMLElement;
        if (c.type === 'quote') node = inner = make('blockquote', null);
        else if (i === 0 && list) node = inner = make('li', null);
        else {
          node = make(c.ordered ? 'ol' : 'ul', null);
          if (c.ordered && c.startNumber !== 1) node.setAttribute('start', String(c.startNumber));
          inner = make('li', node);
        }
        host.appendChild(node);
        if (i === 0) previewNodes.push(node);
        host = inner;
      });
      const paragraph = make(containers[containers.length - 1]?.type === 'item' ? 'span' : 'p', host);
      if (containers.length === 0) previewNodes.push(paragraph);
      inlines(paragraph, content);
    },
    clearPreview() {
      for (const node of previewNodes) (node as ChildNode).remove();
      previewNodes = [];
    },
  };
}
