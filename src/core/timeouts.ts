/** A running idle timer: `touch()` on every byte, `stop()` when done. */
export interface IdleTimer {
  touch(): void;
  stop(): void;
}

/**
 * Calls `onIdle` once `ms` pass without a `touch()`. Re-arming a timer per network chunk costs a
 * clearTimeout + setTimeout each time; instead `touch()` only records the time and the single timer
 * re-checks when it fires, so a fast stream pays one Date.now() per chunk.
 */
export function startIdleTimer(ms: number, onIdle: () => void): IdleTimer {
  let last = Date.now();
  let timer: ReturnType<typeof setTimeout>;
  const check = () => {
    const left = last + ms - Date.now();
    if (left <= 0) onIdle();
    else timer = setTimeout(check, left);
  };
  timer = setTimeout(check, ms);
  return {
    touch: () => {
      last = Date.now();
    },
    stop: () => clearTimeout(timer),
  };
}
