// Streaming markdown for assistant replies: text is rendered as it arrives, appended to the DOM and
// never rewritten, so a reader can select and copy while the reply goes on.
import { createDomRenderer } from './dom-renderer';
import { createTokenizer } from './tokenizer';

/** How assistant markdown is rendered. */
export interface MarkdownOptions {
  /** 'blank' (default) opens links in a new tab, 'self' in the same tab. */
  linkTarget?: 'blank' | 'self';
  /** Adds a "Copy" button to each fenced code block (default true). */
  showCodeBlockCopyButton?: boolean;
  /** Opt-in: when given, raw HTML in model output is rendered after passing through it; otherwise raw HTML is shown as text. */
  htmlSanitizer?: (html: string) => string;
  /** Called once a fenced code block is complete; returns highlighted HTML (passed through htmlSanitizer if any). */
  syntaxHighlighter?: (code: string, language: string) => string;
}

/** A markdown reply being rendered. */
export interface MarkdownStream {
  /** Feeds the next piece of text. Work is proportional to the piece, never to the text so far. */
  push(delta: string): void;
  /** Marks the end of the text: closes open blocks, runs the syntax highlighter on the last code block. */
  end(): void;
}

/** Renders streamed markdown into `target`, appending DOM nodes as text arrives. */
export function createMarkdownStream(target: HTMLElement, options: MarkdownOptions = {}): MarkdownStream {
  const renderer = createDomRenderer(target, options);
  const tokenizer = createTokenizer(renderer, { rawHtml: options.htmlSanitizer !== undefined });
  return { push: tokenizer.write, end: tokenizer.end };
}
