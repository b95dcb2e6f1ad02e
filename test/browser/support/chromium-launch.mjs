// How chatwire launches Chromium, shared by the browser suite (./chromium.ts) and bench/render-chromium:
// plain JS so the bench runs under node without a build step.

/** Where `.ci/run` installs Debian's chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Background services off: on a 2-core machine they steal time from the page under test and
// some of them try the network, which is not there.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
