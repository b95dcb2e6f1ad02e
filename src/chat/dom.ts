/** Creates an element with a class and optional text (always as text, never parsed as HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Sets a CSS length through the CSSOM (allowed under a strict CSP, unlike a `style` attribute in markup). */
export function setLength(node: HTMLElement, property: string, value: number | string | undefined): void {
  if (value === undefined) node.style.removeProperty(property);
  else node.style.setProperty(property, typeof value === 'number' ? `${value}px` : value);
}
