// Starts `npm start`'s server (scripts/start.mjs) on a free loopback port with the offline demo model.
import { fileURLToPath } from 'node:url';
import { startServer } from '../../../scripts/start.mjs';

/** A running example server. */
export interface ExampleServer {
  /** Its origin, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/** The repository root, with a trailing slash. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The server on port 0 with the offline model, whatever OPENAI_API_KEY the environment holds. */
export async function startExampleServer(): Promise<ExampleServer> {
  // '' rather than undefined: startServer's parameter default would turn undefined into OPENAI_API_KEY.
  const server = await startServer({ port: 0, apiKey: '', log: () => {} });
  return { url: server.url.replace(/\/$/, ''), close: () => server.close() };
}
