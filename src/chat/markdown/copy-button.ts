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
  button.type = 'button';
  button.className = 'cw-code-copy';
  button.setAttribute('aria-label', strings.copyLabel);
  button.textContent = strings.copy;
  button.setAttribute('aria-live', 'polite');
  let timer = 0;
  button.addEventListener('click', () => {
    const view = doc.defaultView;
    const show = (label: string) => {
      button.textContent = label;
      button.setAttribute('aria-label', label);
      view?.clearTimeout(timer);
      timer =
        view?.setTimeout(() => {
          button.textContent = strings.copy;
          button.setAttribute('aria-label', strings.copyLabel);
        }, feedbackMs) ?? 0;
    };
    // When copying is refused, the code is selected so the reader can copy it with the keyboard.
    const fallBack = () => {
      const selection = view?.getSelection();
      if (!selection) return;
      const range = doc.createRange();
      range.selectNodeContents(code);
      selection.removeAllRanges();
      selection.addRange(range);
      const platform = view?.navigator.platform || view?.navigator.userAgent || '';
      show(
        strings.copyFallback.replace('{shortcut}', /Mac|iPhone|iPad|iPod/.test(platform) ? '⌘C' : 'Ctrl+C'),
      );
    };
    // Called synchronously inside the click: some browsers only allow writing during the gesture.
    // Without the Clipboard API (an insecure page) this throws, and falls back the same way.
    try {
      view!.navigator.clipboard
        .writeText((code.textContent ?? '').replace(/\n$/, ''))
        .then(() => show(strings.copied), fallBack);
    } catch {
      fallBack();
    }
  });
  return button;
}
