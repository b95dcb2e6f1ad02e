// The "Copy" button on code blocks. Its result is shown on the button and announced: the button is
// a polite live region and its name changes with its text, so a screen reader user hears "Copied".
import type { MarkdownStrings } from './options';

const feedbackMs = 2000;

/** Creates a button that copies `code`'s text, falling back to selecting it when copying is refused. */
export function createCopyButton(
  doc: Document,
  code: HTMLElement,
  strings: MarkdownStrings,
): HTMLButtonElement {
  const button = doc.createElement('button');
  let timer = 0;
  const show = (label: string, name = label) => {
    button.textContent = label;
    button.setAttribute('aria-label', name);
  };
  button.type = 'button';
  button.className = 'cw-code-copy';
  button.setAttribute('aria-live', 'polite');
  show(strings.copy, strings.copyLabel);
  button.onclick = () => {
    const view = doc.defaultView!;
    const { navigator } = view;
    const flash = (label: string) => {
      show(label);
      view.clearTimeout(timer);
      timer = view.setTimeout(() => show(strings.copy, strings.copyLabel), feedbackMs);
    };
    // When copying is refused, the code is selected so the reader can copy it with the keyboard.
    const fallBack = () => {
      const selection = view.getSelection()!;
      const range = doc.createRange();
      range.selectNodeContents(code);
      selection.removeAllRanges();
      selection.addRange(range);
      flash(
        strings.copyFallback.replace(
          '{shortcut}',
          /Mac|iP[aho]/.test(navigator.platform || navigator.userAgent) ? '⌘C' : 'Ctrl+C',
        ),
      );
    };
    // Called synchronously inside the click: some browsers only allow writing during the gesture.
    // Without the Clipboard API (an insecure page) this throws, and falls back the same way.
    try {
      navigator.clipboard
        .writeText(code.textContent!.replace(/\n$/, ''))
        .then(() => flash(strings.copied), fallBack);
    } catch {
      fallBack();
    }
  };
  return button;
}
