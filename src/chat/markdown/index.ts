// Streaming markdown for assistant replies: text is rendered as it arrives. Blocks that are complete
// are never rebuilt, so a reader can select and copy while the reply goes on.
import { createBlockParser } from './block-parser';
import { createDomRenderer } from './dom-renderer';
import type { MarkdownOptions } from './options';

export { type MarkdownOptions, type MarkdownStrings, markdownStrings } from './options';

/** A markdown reply being rendered. */
export interface MarkdownStream {
  /** Feeds the next piece of text. */
  push(delta: string): void;
  /** Marks the end of the text: closes open blocks, runs the syntax highlighter on the last code block. */
  end(): void;
}

/** Renders streamed markdown into `target`, appending DOM nodes as text arrives. */
export function createMarkdownStream(target: HTMLElement, options: MarkdownOptions = {}): MarkdownStream {
  const parser = createBlockParser(createDomRenderer(target, options), options.htmlSanitizer !== undefined);
  return { push: parser.write, end: parser.end };
}
