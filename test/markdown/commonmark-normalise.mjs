// Shared by the CommonMark conformance test and bench: which spec examples the safety policy leaves
// out, and a normaliser that compares rendered HTML with the spec's while ignoring only presentation.

/** The spec shows tabs as →; its examples mean a tab. */
export const withTabs = (example) => ({
  ...example,
  markdown: example.markdown.replace(/→/g, '\t'),
  html: example.html.replace(/→/g, '\t'),
});

/** Sections the policy excludes: raw HTML is shown as text and images as links. */
export const POLICY_SECTIONS = new Set(['HTML blocks', 'Raw HTML', 'Images']);

/**
 * True when the policy excludes the example: its section is excluded, it has an image, or HTML it
 * contains appears unchanged in the expected output (raw HTML passing through).
 */
export function excludedByPolicy(example) {
  if (POLICY_SECTIONS.has(example.section) || example.html.includes('<img')) return true;
  const tags = example.markdown.match(/<\/?[A-Za-z][^>]*>|<!--|<\?|<![A-Z]/g) ?? [];
  return tags.some((tag) => example.html.includes(tag));
}

const keep = new Set(['href', 'title', 'start', 'type', 'checked', 'disabled']);
const blockTags = 'p|li|ul|ol|blockquote|h[1-6]|pre|hr|table|thead|tbody|tr|th|td|div|br|input';

/**
 * Serialises `root`'s children canonically: the code block header and status text are dropped, the
 * code and table wrappers and spans (a tight list's paragraph) unwrapped, attributes reduced to those
 * with meaning (a code block's `language-` class kept), whitespace outside <pre> collapsed and
 * dropped next to block boundaries. Everything else must match exactly.
 */
export function normalise(root) {
  const out = [];
  const escapeHtml = (s) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const visit = (node, inPre) => {
    if (node.nodeType === 3) {
      out.push(inPre ? escapeHtml(node.data) : escapeHtml(node.data).replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1) return;
    const name = node.localName;
    const cls = node.getAttribute('class') ?? '';
    if (/\bcw-code-header\b/.test(cls) || node.getAttribute('role') === 'status') return;
    const unwrap = name === 'span' || (name === 'div' && /\bcw-(?:code|table)\b/.test(cls));
    if (!unwrap) {
      const attrs = [...node.attributes]
        .filter(
          (a) =>
            keep.has(a.name) ||
            (a.name === 'class' && name === 'code' && inPre && /^language-/.test(a.value)),
        )
        .map(
          (a) => ` ${a.name}="${escapeHtml(a.name === 'checked' || a.name === 'disabled' ? '' : a.value)}"`,
        )
        .sort();
      out.push(`<${name}${attrs.join('')}>`);
    }
    for (const child of node.childNodes) visit(child, inPre || name === 'pre');
    if (!unwrap && !['br', 'hr', 'input'].includes(name)) out.push(`</${name}>`);
  };
  for (const child of root.childNodes) visit(child, false);
  return out
    .join('')
    .replace(new RegExp(`\\s*(</?(?:${blockTags})\\b[^>]*>)\\s*`, 'g'), '$1')
    .trim();
}
