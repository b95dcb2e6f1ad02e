// The disconnect probe as a Worker, for workerd: `REPORT_URL` is the test's loopback server.
import { createDisconnectProbe } from './disconnect-probe.mjs';

export default {
  /** @param {Request} request @param {{ REPORT_URL: string }} env @param {ExecutionContext} ctx */
  fetch(request, env, ctx) {
    return createDisconnectProbe(env.REPORT_URL, (promise) => ctx.waitUntil(promise))(request);
  },
};
