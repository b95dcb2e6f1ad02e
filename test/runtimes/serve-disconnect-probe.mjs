// Serves the disconnect probe with the runtime's own HTTP server on 127.0.0.1 and prints
// `{"port":…}` once listening: `<runtime> serve-disconnect-probe.mjs <reportUrl>`. The test kills it.
import { createDisconnectProbe } from './disconnect-probe.mjs';

const args = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
const handler = createDisconnectProbe(args[0]);
const listening = (port) => console.log(JSON.stringify({ port }));

if (globalThis.Deno) {
  globalThis.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => listening(port) }, handler);
} else if (globalThis.Bun) {
  listening(globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler }).port);
} else {
  const { createServer } = await import('node:http');
  const { toNodeHandler } = await import('../../dist/server.js');
  const server = createServer(toNodeHandler(handler));
  server.listen(0, '127.0.0.1', () => listening(server.address().port));
}
