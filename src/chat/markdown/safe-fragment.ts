// Turning HTML the page did not write (a syntax highlighter's output) into DOM that cannot run
// anything: it is parsed in an inert <template> (no scripts run, nothing loads), then rebuilt from
// scratch keeping only text and <span class> — what highlighters produce.

/** Parses HTML that went through the page's own sanitizer, in an inert template. */
export function sanitizedFragment(doc: Document, html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Rebuilds `html` as text and class-only spans. */
export function safeFragment(doc: Document, html: string): DocumentFragment {
  const out = doc.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const node of from.childNodes) {
      if (node.nodeType === 3) to.appendChild(doc.createTextNode((node as Text).data));
      else if ((node as Element).localName === 'span') {
        const span = to.appendChild(doc.createElement('span'));
        const className = (node as Element).getAttribute('class');
        if (className) span.className = className;
        copy(node, span);
      } else copy(node, to);
    }
  };
  copy(sanitizedFragment(doc, html), out);
  return out;
}
