import { themeCss } from './css';

type StyleRoot = Document | ShadowRoot;

// One sheet per realm, shared by every chat; each root it is adopted into counts its chats so the last
// unmount takes the sheet away and earlier ones leave it for the others.
let sheet: CSSStyleSheet | undefined;
const users = new WeakMap<StyleRoot, number>();

/**
 * Adopts the default theme into the document or shadow root that holds `node` and returns the function
 * that releases it. Constructable stylesheets are allowed under a strict CSP (no `'unsafe-inline'`).
 */
export function adoptTheme(node: Node): () => void {
  // A node not yet in a document styles through its owner document.
  const top = node.getRootNode();
  const root = ('adoptedStyleSheets' in top ? top : node.ownerDocument) as StyleRoot | null;
  if (!root || !('adoptedStyleSheets' in root) || typeof CSSStyleSheet === 'undefined') return () => {};
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(themeCss());
  }
  const own = sheet;
  const count = users.get(root) ?? 0;
  if (count === 0 && !root.adoptedStyleSheets.includes(own))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, own];
  users.set(root, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (users.get(root) ?? 1) - 1;
    users.set(root, left);
    if (left === 0) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== own);
  };
}
