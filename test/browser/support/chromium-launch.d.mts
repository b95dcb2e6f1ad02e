/** Where `.ci/run` installs Debian's chromium. */
export const CHROMIUM_PATH: string;

/** Flags for a headless Chromium with its background services off. */
export const CHROMIUM_ARGS: readonly string[];
