/**
 * Calls `target[method](value)`, skipping a method `target` lacks. A throw is the caller's bug: it must
 * not turn into a second terminal call or an unhandled rejection, so it is reported the way the
 * platform reports uncaught errors (`reportError`, else the console) and goes no further.
 */
export function notify<T extends object>(target: T, method: keyof T, value: unknown): void {
  try {
    (target as unknown as Record<keyof T, ((value: unknown) => void) | undefined>)[method]?.(value);
  } catch (error) {
    ((globalThis as { reportError?: (error: unknown) => void }).reportError ?? console.error)(error);
  }
}
