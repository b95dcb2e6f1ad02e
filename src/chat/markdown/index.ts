// Streaming markdown for assistant replies: text is rendered as it arrives, appended to the DOM and
// never rewritten, so a reader can select and copy while the reply goes on.
import type { MessageOptions } from '../types';
import { createDomRenderer } from './dom-renderer';
import { createTokenizer } from './tokenizer';

/** A markdown reply being rendered. */
export interface MarkdownStream {
  /** Feeds the next piece of text. Work is proportional to the piece, never to the text so far. */
  push(delta: string): void;
  /** Marks the end of the text: closes open blocks, runs the syntax highlighter on the last code block. */
  end(): void;
}

/** Renders streamed markdown into `target`, appending DOM nodes as text arrives. */
export function createMarkdownStream(target: HTMLElement, options: MessageOptions = {}): MarkdownStream {
  const renderer = createDomRenderer(target, options);
  const tokenizer = createTokenizer(renderer, { rawHtml: options.htmlSanitizer !== undefined });
  return { push: tokenizer.write, end: tokenizer.end };
}
