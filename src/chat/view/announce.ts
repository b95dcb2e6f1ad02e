// What the status region says when a reply finishes.

// Elements after which a listener needs a pause: without one, "…demo model" and "This reply…" in two
// paragraphs are read as one word.
const BLOCKS = 'p,li,h1,h2,h3,h4,h5,h6,pre,blockquote,tr,th,td,hr,div';

/** A reply as a screen reader should hear it: blocks apart, without code blocks' labels and Copy buttons. */
export function spokenText(content: HTMLElement): string {
  const copy = content.cloneNode(true) as HTMLElement;
  for (const header of copy.querySelectorAll('.cw-code-header')) header.remove();
  for (const block of copy.querySelectorAll(BLOCKS)) block.append(' ');
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}
