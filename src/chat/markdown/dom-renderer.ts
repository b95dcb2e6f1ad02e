// The renderer that builds DOM. It only ever appends: text joins the last text node with appendData,
// elements are added at the end of the innermost open one. The one exception is opt-in: a syntax
// highlighter's output replaces a code block's plain text once the block is complete.
import type { MessageOptions } from '../types';
import { createCopyButton } from './copy-button';
import type { Renderer, Token } from './tokens';

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

/** Creates a renderer that appends to `target`, with the public options' defaults. */
export function createDomRenderer(target: HTMLElement, options: MessageOptions): Renderer {
  const doc = target.ownerDocument;
  const copyButton = options.showCodeBlockCopyButton !== false;
  // Where children go, innermost last.
  const stack: Node[] = [target];
  // The last code block opened (they never nest), so `close` knows when to highlight it.
  let code: { element: HTMLElement; language: string } | null = null;

  // Creates an element with an optional class, added at the end of `parent` unless that is null.
  const make = (tag: string, parent: Node | null, className = '') => {
    const node = doc.createElement(tag);
    if (className !== '') node.className = className;
    parent?.appendChild(node);
    return node;
  };

  // Sanitized HTML is parsed in an inert <template> and moved in; with no sanitizer it is never parsed.
  const htmlFragment = (html: string) => {
    const template = doc.createElement('template');
    template.innerHTML = html;
    return template.content;
  };

  /** Adds the element(s) for `token` to `parent` and returns the node its children go in. */
  function element(token: Token, parent: Node): Node {
    switch (token.type) {
      case 'heading':
        return make(`h${token.level}`, parent);
      case 'list': {
        const list = make(token.ordered ? 'ol' : 'ul', parent);
        if (token.ordered && token.start !== 1) list.setAttribute('start', String(token.start));
        return list;
      }
      case 'code-block': {
        const { language } = token;
        const wrapper = make('div', parent, 'cw-code');
        // The language goes into a class name (`language-…`), so only name-safe characters are kept.
        const safe = language.replace(/[^\w+#.-]/g, '').slice(0, 32);
        const codeElement = make('code', null, safe && `language-${safe}`);
        if (language !== '' || copyButton) {
          const header = make('div', wrapper, 'cw-code-header');
          if (language !== '') make('span', header, 'cw-code-lang').textContent = language;
          if (copyButton) header.appendChild(createCopyButton(doc, codeElement));
        }
        make('pre', wrapper).appendChild(codeElement);
        code = { element: codeElement, language };
        return codeElement;
      }
      case 'table':
        // The wrapper scrolls a wide table sideways instead of widening the message.
        return make('table', make('div', parent, 'cw-table'));
      case 'cell':
        return make(token.header ? 'th' : 'td', parent, token.align ? `cw-align-${token.align}` : '');
      case 'link': {
        const link = make('a', parent) as HTMLAnchorElement;
        link.href = token.href;
        link.rel = 'noopener noreferrer';
        if (options.markdownLinkTarget !== 'self') link.target = '_blank';
        return link;
      }
      default:
        return make(tags[token.type]!, parent);
    }
  }

  return {
    open(token) {
      stack.push(element(token, stack[stack.length - 1]!));
    },
    close() {
      const closed = stack.pop();
      const highlight = options.syntaxHighlighter;
      if (code !== null && closed === code.element && highlight) {
        const highlighted = highlight(code.element.textContent ?? '', code.language);
        code.element.replaceChildren(htmlFragment(options.htmlSanitizer?.(highlighted) ?? highlighted));
      }
    },
    text(text) {
      const parent = stack[stack.length - 1]!;
      const last = parent.lastChild;
      if (last?.nodeType === 3) (last as Text).appendData(text);
      else parent.appendChild(doc.createTextNode(text));
    },
    html(html) {
      if (options.htmlSanitizer)
        stack[stack.length - 1]!.appendChild(htmlFragment(options.htmlSanitizer(html)));
    },
  };
}
