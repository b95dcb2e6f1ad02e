// Turning HTML the page did not write (a syntax highlighter's output) into DOM that cannot run
// anything: it is parsed in an inert <template> (no scripts run, nothing loads), then rebuilt from
// scratch keeping only text and <span class> — what highlighters produce.

/** Rebuilds `html` as text and class-only spans. */
export function safeFragment(doc: Document, html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html;
  const out = doc.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    from.childNodes.forEach((node) => {
      if (node.nodeType === 3) to.appendChild(doc.createTextNode((node as Text).data));
      else if (node.nodeType === 1) {
        const element = node as Element;
        if (element.localName === 'span') {
          const span = doc.createElement('span');
          const className = element.getAttribute('class');
          if (className) span.className = className;
          to.appendChild(span);
          copy(element, span);
        } else copy(element, to);
      }
    });
  };
  copy(template.content, out);
  return out;
}

/** Parses HTML that went through the page's own sanitizer, in an inert template. */
export function sanitizedFragment(doc: Document, html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html;
  return template.content;
}
