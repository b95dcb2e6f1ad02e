// The renderer that builds DOM from the block parser's calls. Closed blocks are never touched again
// (a selection in them survives the reply's growth); the open paragraph's inline content is built
// again from its text after each push and replaces its children (a closed block that used a reference
// label defined later is rebuilt the same way, once). Its element itself stays.
import type { Block, BlockRenderer } from './block-parser';
import { createCopyButton } from './copy-button';
import type { Inline } from './inline-parser';
import { type MarkdownOptions, type MarkdownStrings, markdownStrings } from './options';
import { safeFragment, sanitizedFragment } from './safe-fragment';

// What the renderer keeps per block: its element, where children go (a code block's <code>, a
// table's <table>), a task item's checkbox, a table's body.
interface View {
  element: HTMLElement;
  content: HTMLElement;
  checkbox?: HTMLInputElement | undefined;
  body?: HTMLElement;
}

const tagOf: Partial<Record<Block['type'], string>> = {
  quote: 'blockquote',
  item: 'li',
  rule: 'hr',
  html: 'div',
};

/** Creates a renderer that appends to `target`. */
export function createDomRenderer(target: HTMLElement, options: MarkdownOptions): BlockRenderer {
  const doc = target.ownerDocument;
  const strings: MarkdownStrings = { ...markdownStrings, ...options.strings };
  const { htmlSanitizer, syntaxHighlighter, mathRenderer } = options;
  const copyButton = options.showCodeBlockCopyButton !== false;
  const views = new WeakMap<Block, View>();
  const math = new Map<string, Node>();

  const view = (b: Block) => views.get(b)!;
  const contentOf = (b: Block): HTMLElement => (b.type === 'document' ? target : view(b).content);
  const make = (tag: string, parent?: Node | null, className = '') => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    parent?.appendChild(node);
    return node;
  };
  const region = (element: HTMLElement, label: string) => {
    element.tabIndex = 0;
    element.setAttribute('role', 'region');
    element.setAttribute('aria-label', label);
  };

  function mathNode(tex: string, display: boolean): Node {
    const key = `${display}${tex}`;
    let node = math.get(key);
    if (!node) {
      try {
        node = mathRenderer?.(tex, { display });
      } catch {}
      // Without a renderer (or when it fails) the TeX shows as code, exactly as written.
      if (!(node instanceof doc.defaultView!.Node)) {
        node = make('code', null, display ? 'cw-math cw-math-display' : 'cw-math');
        node.textContent = tex;
      }
      math.set(key, node);
    }
    return node.cloneNode(true);
  }

  // HTML the model wrote, through the page's sanitizer; shown as text if the sanitizer throws.
  function html(markup: string): Node {
    try {
      return sanitizedFragment(doc, htmlSanitizer!(markup));
    } catch {
      return doc.createTextNode(markup);
    }
  }

  // Builds inline content into a new element. Inline HTML (parsed only when there is a sanitizer)
  // goes through the sanitizer with the content around it as one piece, so that an element opened in
  // one tag and closed in another (`<kbd>Ctrl</kbd>`) is one element: the content is built with a
  // comment where each piece of HTML goes, serialised, and the pieces put back. Model text is only
  // ever in text nodes, which serialise escaped, so the only comments are those.
  function build(root: Inline, box = make('div')) {
    const raw: string[] = [];
    const walk = (into: Node, first: Inline | undefined) => {
      for (let n = first; n; n = n.next) {
        let { type, text } = n;
        if (type === 'text') {
          // Adjacent text (a literal '[' next to its words) is one node, as the DOM would merge it:
          // joined here, as appending to a text node copies it whole (quadratic over many pieces).
          while (n.next?.type === 'text') {
            n = n.next;
            text += n.text;
          }
          if (text) into.appendChild(doc.createTextNode(text));
        } else if (type === 'math') into.appendChild(mathNode(text, n.display!));
        else if (type === 'html') into.appendChild(doc.createComment(`${raw.push(text)}`));
        else {
          const element = make(type, into);
          if (type === 'code') element.textContent = text;
          if (type === 'a') {
            element.setAttribute('href', text);
            if (n.title) element.title = n.title;
            element.setAttribute('rel', 'noopener noreferrer');
            if (options.markdownLinkTarget !== 'self') element.setAttribute('target', '_blank');
          }
          walk(element, n.first);
        }
      }
    };
    walk(box, root.first);
    if (raw.length) box.replaceChildren(html(box.innerHTML.replace(/<!--(\d+)-->/g, (_, i) => raw[i - 1]!)));
    return box;
  }

  function codeBlock(b: Block, parent: HTMLElement): View {
    const wrapper = make('div', parent, 'cw-code');
    // The language goes into a class name and to the highlighter: letters, digits and +#.-_ only.
    const language = (b.language ?? '').replace(/[^\p{L}\p{N}_+#.-]/gu, '').slice(0, 32);
    const code = make('code', null, language && `language-${language}`);
    if (language || copyButton) {
      const header = make('div', wrapper, 'cw-code-header');
      if (language) make('span', header, 'cw-code-lang').textContent = language;
      if (copyButton) header.appendChild(createCopyButton(doc, code, strings));
    }
    // A long line scrolls the block sideways: focusable and named, so a keyboard can scroll it too.
    const { codeLabel } = strings;
    region(make('pre', wrapper), codeLabel.replace(language ? '{language}' : /[: ]*\{language\}/, language));
    wrapper.lastChild!.appendChild(code);
    // Two text nodes: the code so far, and the line still arriving.
    code.append('', '');
    return { element: wrapper, content: code };
  }

  // A paragraph becoming a heading, or a tight list's item text becoming a paragraph: the element is
  // replaced, its children kept.
  function retag(v: View, tag: string) {
    const element = make(tag);
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
        region(box, strings.tableLabel);
        v = { element: box, content: make('table', box) };
      } else {
        const element = make(
          b.type === 'list'
            ? b.ordered
              ? 'ol'
              : 'ul'
            : b.type === 'heading'
              ? `h${b.level}`
              : b.type === 'paragraph'
                ? // A paragraph directly in a tight list's item has no <p> (CommonMark); a <span> keeps
                  // it one element, so the list turning loose is a change of tag.
                  b.parent!.type === 'item' && !b.parent!.parent!.loose
                  ? 'span'
                  : 'p'
                : tagOf[b.type]!,
          parent,
        );
        if (b.type === 'list' && b.startNumber !== 1) element.setAttribute('start', `${b.startNumber}`);
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
      v.element.replaceChildren(...build(content).childNodes);
      let box = v.checkbox;
      if (task === null) {
        box?.remove();
        box = undefined;
      } else {
        if (!box) {
          box = make('input') as HTMLInputElement;
          box.type = 'checkbox';
          box.disabled = true;
          v.element.before(box, ' ');
        }
        // A task item's checkbox is named by the item's text.
        box.setAttribute('aria-label', v.element.textContent!);
        // The attribute sets the checkedness too: the box is disabled, so its state is never the user's.
        box.toggleAttribute('checked', task);
      }
      v.checkbox = box;
    },
    code(b, text, tail) {
      const v = view(b);
      const [code, last] = v.content.childNodes as NodeListOf<Text>;
      // The text only grows while the block is open: appending keeps the work per push small.
      if (text.length >= code.length) code.appendData(text.slice(code.length));
      else code.data = text;
      if (last!.data !== tail) last!.data = tail;
    },
    row(table, cells, header) {
      const v = view(table);
      if (!header) v.body ??= make('tbody', v.content);
      const row = make('tr', header ? make('thead', v.content) : v.body);
      cells.forEach((cell, i) => {
        const align = table.aligns![i];
        build(cell, make(header ? 'th' : 'td', row, align ? `cw-align-${align}` : ''));
      });
    },
    close(b) {
      const v = view(b);
      if (b.type === 'html') v.element.replaceWith(html(b.text.trimEnd()));
      if (b.type !== 'code') return;
      v.content.lastChild!.remove();
      if (syntaxHighlighter)
        try {
          const out = syntaxHighlighter(b.text, v.content.className.slice(9));
          if (typeof out === 'string')
            v.content.replaceChildren(
              htmlSanitizer ? sanitizedFragment(doc, htmlSanitizer(out)) : safeFragment(doc, out),
            );
        } catch {
          // A highlighter or sanitizer that throws (highlight.js on an unknown language) leaves plain text.
        }
    },
    remove(b) {
      view(b).element.remove();
    },
  };
}
