// The "Copy" button on fenced code blocks.

const feedbackMs = 2000;

/** Creates a button that copies `code`'s text, falling back to selecting it when copying is refused. */
export function createCopyButton(doc: Document, code: HTMLElement): HTMLButtonElement {
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'cw-code-copy';
  button.setAttribute('aria-label', 'Copy code');
  button.textContent = 'Copy';
  button.addEventListener('click', () => {
    const view = doc.defaultView;
    const show = (label: string) => {
      button.textContent = label;
      view?.setTimeout(() => {
        button.textContent = 'Copy';
      }, feedbackMs);
    };
    // When copying is refused, the code is selected so the reader can copy it with the keyboard.
    const fallBack = () => {
      const selection = view?.getSelection();
      if (!selection) return;
      const range = doc.createRange();
      range.selectNodeContents(code);
      selection.removeAllRanges();
      selection.addRange(range);
      show('Press Ctrl+C');
    };
    // Called synchronously inside the click: some browsers only allow writing during the gesture.
    // Without the Clipboard API (an insecure page) this throws, and falls back the same way.
    try {
      view!.navigator.clipboard
        .writeText((code.textContent ?? '').replace(/\n$/, ''))
        .then(() => show('Copied'), fallBack);
    } catch {
      fallBack();
    }
  });
  return button;
}
