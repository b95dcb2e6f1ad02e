// Starts `npm start`'s server (scripts/start.mjs) on a free loopback port with the offline demo model.
import { fileURLToPath } from 'node:url';
import { type StartedServer, startServer } from '../../../scripts/start.mjs';

/** The repository root, with a trailing slash. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The server on port 0 with the offline model, whatever OPENAI_API_KEY the environment holds. */
export function startExampleServer(): Promise<StartedServer> {
  return startServer({ port: 0, apiKey: undefined, log: () => {} });
}
