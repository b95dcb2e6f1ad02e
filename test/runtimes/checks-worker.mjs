// Entry for workerd: a Worker whose fetch runs the shared checks with the options POSTed to it and
// answers their results as JSON. The test bundles it with esbuild and runs it through miniflare.
import { runChecks } from './checks.mjs';

export default {
  /** @param {Request} request */
  async fetch(request) {
    return Response.json(await runChecks(await request.json()));
  },
};
