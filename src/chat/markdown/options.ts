// The markdown renderer's own options and the words it shows. The chat passes its message options
// straight through; the renderer knows nothing else of the chat.

/** Every text the renderer puts on the page, for translation. */
export interface MarkdownStrings {
  /** The code block's copy button. */
  copy: string;
  /** The copy button's accessible name. */
  copyLabel: string;
  /** Shown and announced once the code is on the clipboard. */
  copied: string;
  /** Shown when copying was refused and the code is selected instead; `{shortcut}` is ⌘C or Ctrl+C. */
  copyFallback: string;
  /** Names a code block's scrollable box; `{language}` is the fence's language (dropped when none). */
  codeLabel: string;
  /** Names a table's scrollable box. */
  tableLabel: string;
}

/** The English strings. */
export const markdownStrings: Readonly<MarkdownStrings> = Object.freeze({
  copy: 'Copy',
  copyLabel: 'Copy code',
  copied: 'Copied',
  copyFallback: 'Press {shortcut}',
  codeLabel: 'Code: {language}',
  tableLabel: 'Table',
});

/** How a reply's markdown is rendered. */
export interface MarkdownOptions {
  /** Where links open: `'blank'` (default, a new tab) or `'self'`. */
  markdownLinkTarget?: 'blank' | 'self';
  /** A copy button on code blocks (default true). */
  showCodeBlockCopyButton?: boolean;
  /**
   * Opt-in raw HTML: when given, HTML in the model's output (and a highlighter's output) is rendered
   * after passing through it. Without one, raw HTML is shown as text, never parsed.
   */
  htmlSanitizer?: (html: string) => string;
  /**
   * Called once a code block is complete, with its text and its cleaned language (letters, digits and
   * `+#.-` only); returns highlighted HTML. Without `htmlSanitizer` only `<span class>` (and the text)
   * of that HTML is kept, so a highlighter that fails to escape cannot inject anything. When it
   * throws, the code stays plain.
   */
  syntaxHighlighter?: (code: string, language: string) => string;
  /**
   * Renders `$…$`, `\(…\)` (inline) and `$$…$$`, `\[…\]` (display) math, e.g. with KaTeX. Receives
   * the TeX exactly as written. Without it (or when it throws), math is shown as code.
   */
  mathRenderer?: (tex: string, options: { display: boolean }) => Node;
  /** Replaces some or all of the strings the renderer shows. */
  strings?: Partial<MarkdownStrings>;
}
