// The renderer that builds DOM. It only ever appends: text joins the last text node with appendData,
// elements are added at the end of the innermost open one. The one exception is opt-in: a syntax
// highlighter's output replaces a code block's plain text once the block is complete.
import { createCopyButton } from './copy-button';
import type { Renderer, Token } from './tokens';

/** What the DOM renderer does beyond plain markdown; mirrors the public MarkdownOptions. */
export interface DomRendererOptions {
  linkTarget: 'blank' | 'self';
  showCodeBlockCopyButton: boolean;
  htmlSanitizer: ((html: string) => string) | undefined;
  syntaxHighlighter: ((code: string, language: string) => string) | undefined;
}

const tags: Partial<Record<Token['type'], string>> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  item: 'li',
  rule: 'hr',
  'table-head': 'thead',
  'table-body': 'tbody',
  row: 'tr',
  emphasis: 'em',
  strong: 'strong',
  strikethrough: 'del',
  code: 'code',
  break: 'br',
};

/** Sanitizes a code block's language for use in a class name (`language-…`). */
export function languageClass(language: string): string {
  const safe = language.replace(/[^A-Za-z0-9_+#.-]/g, '').slice(0, 32);
  return safe === '' ? '' : `language-${safe}`;
}

/** Creates a renderer that appends to `target`. */
export function createDomRenderer(target: HTMLElement, options: DomRendererOptions): Renderer {
  const doc = target.ownerDocument;
  // Each entry is where children go; `block` is set for a code block so `close` can highlight it.
  const stack: { parent: Node; code?: { element: HTMLElement; language: string } }[] = [{ parent: target }];
  const top = () => stack[stack.length - 1]!;

  const append = (node: Node) => top().parent.appendChild(node);

  // Sanitized HTML is parsed in an inert <template> and moved in; with no sanitizer it is never parsed.
  const htmlFragment = (html: string) => {
    const template = doc.createElement('template');
    template.innerHTML = html;
    return template.content;
  };

  function element(token: Token): {
    node: Node;
    parent: Node;
    code?: { element: HTMLElement; language: string };
  } {
    switch (token.type) {
      case 'heading': {
        const node = doc.createElement(`h${token.level}`);
        return { node, parent: node };
      }
      case 'list': {
        const node = doc.createElement(token.ordered ? 'ol' : 'ul');
        if (token.ordered && token.start !== 1) node.setAttribute('start', String(token.start));
        return { node, parent: node };
      }
      case 'code-block': {
        const wrapper = doc.createElement('div');
        wrapper.className = 'cw-code';
        const pre = doc.createElement('pre');
        const code = doc.createElement('code');
        const cls = languageClass(token.language);
        if (cls !== '') code.className = cls;
        if (token.language !== '' || options.showCodeBlockCopyButton) {
          const header = doc.createElement('div');
          header.className = 'cw-code-header';
          if (token.language !== '') {
            const label = doc.createElement('span');
            label.className = 'cw-code-lang';
            label.textContent = token.language;
            header.appendChild(label);
          }
          if (options.showCodeBlockCopyButton) header.appendChild(createCopyButton(doc, code));
          wrapper.appendChild(header);
        }
        pre.appendChild(code);
        wrapper.appendChild(pre);
        return { node: wrapper, parent: code, code: { element: code, language: token.language } };
      }
      case 'table': {
        // The wrapper scrolls a wide table sideways instead of widening the message.
        const wrapper = doc.createElement('div');
        wrapper.className = 'cw-table';
        const table = doc.createElement('table');
        wrapper.appendChild(table);
        return { node: wrapper, parent: table };
      }
      case 'cell': {
        const node = doc.createElement(token.header ? 'th' : 'td');
        if (token.align !== null) node.className = `cw-align-${token.align}`;
        return { node, parent: node };
      }
      case 'link': {
        const node = doc.createElement('a');
        node.setAttribute('href', token.href);
        node.setAttribute('rel', 'noopener noreferrer');
        if (options.linkTarget === 'blank') node.setAttribute('target', '_blank');
        return { node, parent: node };
      }
      default: {
        const node = doc.createElement(tags[token.type]!);
        return { node, parent: node };
      }
    }
  }

  return {
    open(token) {
      const { node, parent, code } = element(token);
      append(node);
      stack.push(code ? { parent, code } : { parent });
    },
    close() {
      const closed = stack.pop();
      const code = closed?.code;
      if (code && options.syntaxHighlighter) {
        const highlighted = options.syntaxHighlighter(code.element.textContent ?? '', code.language);
        const html = options.htmlSanitizer ? options.htmlSanitizer(highlighted) : highlighted;
        code.element.replaceChildren(htmlFragment(html));
      }
    },
    text(text) {
      const parent = top().parent;
      const last = parent.lastChild;
      if (last !== null && last.nodeType === 3) (last as Text).appendData(text);
      else parent.appendChild(doc.createTextNode(text));
    },
    html(html) {
      if (options.htmlSanitizer) append(htmlFragment(options.htmlSanitizer(html)));
    },
  };
}
