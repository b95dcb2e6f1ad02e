// What the tokenizer tells a renderer. The tokenizer never touches the DOM, so it is tested with a
// recording renderer and the DOM renderer can be swapped (streaming-markdown's split, our own tokens).

/** Column alignment from a GFM table's delimiter row. */
export type CellAlign = 'left' | 'center' | 'right' | null;

/** A block or inline element the tokenizer opens; every `open` is matched by one `close`. */
export type Token =
  | { type: 'paragraph' }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6 }
  | { type: 'blockquote' }
  | { type: 'list'; ordered: boolean; start: number }
  | { type: 'item' }
  | { type: 'code-block'; language: string }
  | { type: 'rule' }
  | { type: 'table' }
  | { type: 'table-head' }
  | { type: 'table-body' }
  | { type: 'row' }
  | { type: 'cell'; header: boolean; align: CellAlign }
  | { type: 'emphasis' }
  | { type: 'strong' }
  | { type: 'strikethrough' }
  | { type: 'code' }
  | { type: 'link'; href: string }
  | { type: 'break' };

/**
 * Receives the tokenizer's output in document order. Calls only ever add: a renderer never needs to
 * change or remove what it already produced.
 */
export interface Renderer {
  /** Starts an element inside the innermost open one. */
  open(token: Token): void;
  /** Ends the innermost open element. */
  close(): void;
  /** Appends text to the innermost open element. */
  text(text: string): void;
  /** Appends raw HTML from the model; only called when the caller opted in with a sanitizer. */
  html(html: string): void;
}
