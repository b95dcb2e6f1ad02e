// @vitest-environment happy-dom
// Closed blocks are never rebuilt: after every push, each node of a block that was already closed is
// still in place with the same attributes, its children unchanged and its text only grown at the end.
// Only the block still open at the end may change (the block parser's contract). That is what lets a
// reader keep a selection while the reply streams.
import { describe, expect, it } from 'vitest';
import { createMarkdownStream } from '../../src/chat/markdown/index';
import { mixedDocument, randomSplit } from './helpers';

interface Seen {
  parent: Node | null;
  children: Node[];
  data: string | null;
  attributes: string;
}

function snapshot(root: Node): Map<Node, Seen> {
  const seen = new Map<Node, Seen>();
  const visit = (node: Node) => {
    const element = node.nodeType === 1 ? (node as Element) : null;
    seen.set(node, {
      parent: node.parentNode,
      children: [...node.childNodes],
      data: node.nodeType === 3 ? (node as Text).data : null,
      attributes: element ? [...element.attributes].map((a) => `${a.name}=${a.value}`).join(' ') : '',
    });
    node.childNodes.forEach(visit);
  };
  visit(root);
  return seen;
}

// Plain comparisons (an expect() per node would dominate the run); the first problem is reported.
function firstRewrite(before: Map<Node, Seen>, after: Map<Node, Seen>): string | null {
  for (const [node, was] of before) {
    const now = after.get(node);
    if (!now) return `a ${node.nodeName} node was removed`;
    if (now.parent !== was.parent) return `a ${node.nodeName} node moved`;
    if (was.children.some((child, i) => now.children[i] !== child))
      return `children of ${node.nodeName} were replaced`;
    if (now.attributes !== was.attributes) return `attributes of ${node.nodeName} changed`;
    if (was.data !== null && !now.data!.startsWith(was.data))
      return `text ${JSON.stringify(was.data)} was rewritten`;
  }
  return null;
}

function expectOnlyAppended(before: Map<Node, Seen>, after: Map<Node, Seen>, step: string) {
  expect(firstRewrite(before, after), step).toBeNull();
}

// The closed part of the page: every top-level block but the last two (the open block, and a preview
// of the line still arriving, may be those).
function closedSnapshot(target: HTMLElement): Map<Node, Seen> {
  const seen = new Map<Node, Seen>();
  const blocks = [...target.childNodes].slice(0, -2);
  for (const block of blocks) for (const [node, state] of snapshot(block)) seen.set(node, state);
  return seen;
}

function renderWatching(pieces: string[]): { target: HTMLElement; checks: number } {
  const target = document.createElement('div');
  const stream = createMarkdownStream(target);
  let before = closedSnapshot(target);
  let checks = 0;
  pieces.forEach((piece, i) => {
    stream.push(piece);
    expectOnlyAppended(before, snapshot(target), `push ${i} ${JSON.stringify(piece)}`);
    checks += before.size;
    before = closedSnapshot(target);
  });
  stream.end();
  expectOnlyAppended(before, snapshot(target), 'end()');
  return { target, checks };
}

describe('markdown rendering is append-only', () => {
  it('the check catches removed nodes, replaced children and rewritten text', () => {
    const root = document.createElement('div');
    root.innerHTML = '<p>abc</p><p>d</p>';
    const before = snapshot(root);
    (root.firstChild!.firstChild as Text).data = 'xbc';
    expect(firstRewrite(before, snapshot(root))).toMatch(/rewritten/);
    root.firstChild!.firstChild!.remove();
    expect(firstRewrite(before, snapshot(root))).toMatch(/removed|replaced/);
    expect(firstRewrite(snapshot(root), snapshot(root))).toBeNull();
  });

  it('keeps every node, attribute and text prefix across random pushes of a mixed document', () => {
    const { target, checks } = renderWatching(randomSplit(mixedDocument(), 7, 15));
    expect(target.querySelectorAll('*').length).toBeGreaterThan(100);
    expect(checks).toBeGreaterThan(1000);
  });

  it('keeps every node, attribute and text prefix when the document arrives one character at a time', () => {
    const doc = mixedDocument().slice(0, 1500);
    const { target } = renderWatching(doc.split(''));
    expect(target.textContent!.length).toBeGreaterThan(500);
  });

  it('shows text before its line or block is finished (it does not wait for the end)', () => {
    const target = document.createElement('div');
    const stream = createMarkdownStream(target, { showCodeBlockCopyButton: false });
    stream.push('Some **bold te');
    expect(target.innerHTML).toBe('<p>Some **bold te</p>');
    stream.push('xt** and');
    expect(target.innerHTML).toBe('<p>Some <strong>bold text</strong> and</p>');
    stream.push('\n- a list item is shown as it arr');
    expect(target.querySelector('ul li')?.textContent).toBe('a list item is shown as it arr');
    stream.push('ives\n> so is a quo');
    expect(target.querySelector('blockquote')?.textContent).toBe('so is a quo');
    stream.push('te\n\n```js\nconst a');
    // Optimistic: the code block is styled as code as soon as its fence line ends.
    expect(target.querySelector('pre code.language-js')?.textContent).toBe('const a');
    stream.push(' = 1;\n');
    expect(target.querySelector('pre code')?.textContent).toBe('const a = 1;\n');
    stream.end();
  });

  // A new block's first line is shown before its line ending; while that line grows with the same
  // container markers, its elements stay and only the paragraph's text is refilled. Rebuilding them on
  // every push cost a removal from a parent holding the whole reply (linear in its size in happy-dom).
  it('keeps the elements of the line still arriving while it grows, and replaces them when its shape changes', () => {
    const target = document.createElement('div');
    const stream = createMarkdownStream(target);
    stream.push('Intro.\n\n> - a quoted item');
    const item = target.querySelector('blockquote li')!;
    const quote = target.querySelector('blockquote')!;
    stream.push(' that keeps');
    stream.push(' growing');
    expect(target.querySelector('blockquote li')).toBe(item);
    expect(target.querySelector('blockquote')).toBe(quote);
    expect(item.textContent).toBe('a quoted item that keeps growing');
    stream.push('\n> more');
    expect(target.querySelectorAll('blockquote')).toHaveLength(1);
    expect(target.querySelector('blockquote')!.textContent).toBe('a quoted item that keeps growing\nmore');
    stream.push('\n\nplain');
    expect(target.querySelector('blockquote + p')?.textContent).toBe('plain');
    stream.end();
    expect(target.querySelectorAll('p, blockquote, ul, li')).toHaveLength(5);
  });
  it('keeps a selection made inside earlier text while the reply goes on', () => {
    const target = document.createElement('div');
    document.body.appendChild(target);
    const stream = createMarkdownStream(target);
    stream.push('The first paragraph is here.\n\nSecond');
    const first = target.querySelector('p')!.firstChild!;
    const range = document.createRange();
    range.setStart(first, 4);
    range.setEnd(first, 9);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    stream.push(' paragraph grows, then a list:\n\n- one\n- two');
    stream.end();
    expect(selection.rangeCount).toBe(1);
    expect(selection.toString()).toBe('first');
    target.remove();
  });
});
