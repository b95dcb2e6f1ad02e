/** One piece of a paced body; `paced` ones are preceded by the delay. */
export interface Frame {
  text: string;
  paced?: boolean;
}

/**
 * A body that emits each frame only when the reader wants one (so an abandoned response costs no
 * timers), waits `delayMs` before paced frames, and stops for good when `signal` aborts. With
 * `fail`, it errors after the last frame instead of closing.
 */
export function pacedStream(
  frames: Frame[],
  { delayMs, signal, fail }: { delayMs: number; signal: AbortSignal; fail: boolean },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  let index = 0;

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const frame = frames[index++];
      if (frame?.paced && delayMs > 0) await sleep(delayMs, stop.signal);
      if (stop.signal.aborted) throw stop.signal.reason;
      if (frame) {
        controller.enqueue(encoder.encode(frame.text));
        return;
      }
      signal.removeEventListener('abort', onAbort);
      if (fail) controller.error(new Error('offline model: the connection dropped (simulated).'));
      else controller.close();
    },
    cancel(reason) {
      signal.removeEventListener('abort', onAbort);
      stop.abort(reason);
    },
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
