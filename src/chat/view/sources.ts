// The sources a reply cites (`result.sources`), as links under its text.
import { el } from '../dom';
import { safeHref } from '../markdown/safe-href';
import type { MessageOptions } from '../types';

/** One cited source, as `ChatResult.sources` carries it. */
export interface SourceLink {
  url: string;
  title?: string;
}

/** What `createSourcesView` needs. */
export interface SourcesViewOptions {
  /** The list's label, from the chat's strings table (default "Sources"). */
  label?: string;
  /** The reply's message options: `markdownLinkTarget` applies here as in the reply's own links. */
  markdown?: MessageOptions;
}

let lastId = 0;

/**
 * A labelled list of the sources' links, or null when none is safe to show. The URLs pass the same rule
 * as markdown links (`safeHref`: http, https, mailto, relative); anything else is left out, never
 * rendered as a link. A URL cited twice is listed once. Titles are set as text, never parsed.
 */
export function createSourcesView(
  sources: readonly SourceLink[],
  options: SourcesViewOptions = {},
): HTMLElement | null {
  const seen = new Set<string>();
  const items: HTMLLIElement[] = [];
  for (const source of sources) {
    const href = typeof source?.url === 'string' && source.url.trim() ? safeHref(source.url) : null;
    if (href === null || seen.has(href)) continue;
    seen.add(href);
    const link = el('a', '', source.title?.trim() || href);
    link.href = href;
    link.rel = 'noopener noreferrer';
    if (options.markdown?.markdownLinkTarget !== 'self') link.target = '_blank';
    const item = el('li');
    item.append(link);
    items.push(item);
  }
  if (items.length === 0) return null;

  const box = el('div', 'cw-sources');
  // A list named by a visible label, not a <nav>: one landmark per reply would crowd the landmark list.
  const label = el('p', 'cw-sources-label', options.label ?? 'Sources');
  label.id = `cw-sources-${++lastId}`;
  const list = el('ul');
  list.setAttribute('aria-labelledby', label.id);
  list.append(...items);
  box.append(label, list);
  return box;
}
