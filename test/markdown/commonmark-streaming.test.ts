// @vitest-environment happy-dom
// Streaming is exact on every CommonMark spec example: fed whole, one character at a time, or cut in
// two at every character boundary, the DOM is the same; and blocks that closed are never rebuilt:
// every node of a top-level block that was complete (not among the last two, which may be the open
// block and a preview of the line still arriving) is the same object, unchanged, at the end. The one
// allowed exception is a block holding a link whose reference definition comes later, which is
// rendered again (its element stays); examples with definitions check element identity only.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createMarkdownStream } from '../../src/chat/markdown/index';
import { type SpecExample, withTabs } from './commonmark-normalise.mjs';
import { renderPieces, renderWhole } from './helpers';

const spec: SpecExample[] = createRequire(import.meta.url)('commonmark-spec').tests.map(withTabs);

function nodesOf(root: Node): Node[] {
  const out: Node[] = [root];
  root.childNodes.forEach((child) => out.push(...nodesOf(child)));
  return out;
}

describe('CommonMark spec examples stream exactly', () => {
  it('give the same DOM whole, per character and split at every boundary', () => {
    let renders = 0;
    for (const { markdown, number } of spec) {
      const whole = renderWhole(markdown).innerHTML;
      expect(renderPieces(markdown.split('')).innerHTML, `example ${number} per character`).toBe(whole);
      for (let i = 1; i < markdown.length; i++) {
        const split = renderPieces([markdown.slice(0, i), markdown.slice(i)]).innerHTML;
        if (split !== whole) expect(split, `example ${number} split at ${i}`).toBe(whole);
        renders++;
      }
    }
    expect(renders).toBeGreaterThan(10_000);
  });

  it('never rebuild a block once it is closed', () => {
    let checked = 0;
    for (const { markdown, number } of spec) {
      const definitions = /^ {0,3}\[[^\]]+\]:/m.test(markdown);
      const target = document.createElement('div');
      const stream = createMarkdownStream(target, { showCodeBlockCopyButton: false });
      const closed = new Map<Node, string>();
      for (const ch of markdown) {
        stream.push(ch);
        for (const block of [...target.childNodes].slice(0, -2)) {
          for (const node of definitions ? [block] : nodesOf(block))
            if (!closed.has(node)) closed.set(node, node.nodeType === 3 ? (node as Text).data : '');
        }
      }
      stream.end();
      const present = new Set(nodesOf(target));
      for (const [node, text] of closed) {
        expect(present.has(node), `example ${number}: a closed ${node.nodeName} was replaced`).toBe(true);
        if (node.nodeType === 3) expect((node as Text).data.startsWith(text), `example ${number}`).toBe(true);
        checked++;
      }
    }
    // Spec examples are short: most have one or two blocks, so the closed part is small.
    expect(checked).toBeGreaterThan(100);
  });
});
