// A proxy whose upstream is a model that never finishes and that reports, by POSTing to the test's
// loopback server, the moment it learns its client went away: through its request's signal or through
// its response body being cancelled. Served over each runtime's own HTTP server, it shows that a
// browser closing the connection stops the upstream call (and so the spend) on that runtime.
import { createOpenAiProxy } from '../../dist/server.js';

/**
 * @param {string} reportUrl where `signal` or `cancel` is POSTed, once
 * @param {(promise: Promise<unknown>) => void} [keepAlive] on Workers, `ctx.waitUntil`, so the report
 *   is sent after the client is gone
 */
export function createDisconnectProbe(reportUrl, keepAlive = () => {}) {
  let reported = false;
  const report = (how) => {
    if (reported) return;
    reported = true;
    keepAlive(fetch(reportUrl, { method: 'POST', body: how }).then((response) => response.body?.cancel()));
  };
  const encoder = new TextEncoder();
  const chunk = (text) =>
    encoder.encode(
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`,
    );
  const upstream = async (request) => {
    // A slow model: a piece every 100 ms, forever, until the proxy lets go of it.
    let timer;
    const stop = (how) => {
      clearInterval(timer);
      report(how);
    };
    request.signal.addEventListener('abort', () => stop('signal'));
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk('partial'));
        timer = setInterval(() => controller.enqueue(chunk(' more')), 100);
      },
      cancel: () => stop('cancel'),
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
  return createOpenAiProxy({ upstream, allowedModels: ['gpt-4o-mini'] });
}
