import { button } from './message-view';
import type { ChatStrings } from './strings';

/** How the log follows a streaming reply. */
export interface Scroller {
  /** The "Jump to latest" button, shown while the reader is scrolled away from the bottom. */
  jump: HTMLButtonElement;
  /** Scrolls to the bottom on the next frame, if the reader is there (many deltas cost one layout). */
  follow(): void;
  /** Back to the bottom and following again, whatever the reader did (sending a message, Jump). */
  toBottom(): void;
  /** Brings `node` into view (a failed reply's notice), without following. */
  reveal(node: HTMLElement): void;
  setStrings(strings: ChatStrings): void;
  stop(): void;
}

// Within this many pixels of the bottom counts as "at the bottom": sub-pixel layout and a last line
// half in view should not stop the following.
const SLACK = 24;

/**
 * The log follows a reply only while the reader is at its bottom: scrolling up stops the following
 * and shows "Jump to latest"; scrolling back down, or the button, resumes it. `enabled` is read each
 * time (the `autoScroll` option can change on a mounted chat).
 */
export function createScroller(
  log: HTMLElement,
  enabled: () => boolean,
  strings: ChatStrings,
  signal: AbortSignal,
): Scroller {
  let pinned = true;
  let frame = 0;
  const jump = button('cw-jump', strings.jumpToLatest, () => toBottom(), signal);
  jump.hidden = true;
  const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight <= SLACK;
  let lastTop = 0;
  // Only the reader moving up stops the following. The browser also scrolls on its own (scroll
  // anchoring keeps the view still while older messages are put in above): that moves down, never up.
  const update = () => {
    const top = log.scrollTop;
    if (atBottom()) pinned = true;
    else if (top < lastTop - 1) pinned = false;
    lastTop = top;
    // Written only on a change: each write makes the browser restyle the button.
    if (jump.hidden !== pinned) jump.hidden = pinned;
  };
  log.addEventListener('scroll', update, { signal, passive: true });
  const schedule = (force: boolean) => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!pinned && !force) return;
      log.scrollTop = log.scrollHeight;
      lastTop = log.scrollTop;
    });
  };
  const toBottom = () => {
    pinned = true;
    jump.hidden = true;
    cancelAnimationFrame(frame);
    frame = 0;
    schedule(true);
  };
  return {
    jump,
    follow() {
      if (enabled()) schedule(false);
      // Content grew under a reader who is away from the bottom: the button is how they get back.
      else jump.hidden = atBottom();
    },
    toBottom,
    reveal(node) {
      requestAnimationFrame(() => node.scrollIntoView?.({ block: 'nearest' }));
    },
    setStrings(next) {
      jump.textContent = next.jumpToLatest;
    },
    stop() {
      cancelAnimationFrame(frame);
    },
  };
}
