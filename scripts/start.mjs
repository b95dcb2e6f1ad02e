// `npm start`: the examples, the built package and the chat proxy on one local server.
//
//   /                          a demo chat on /api/chat, and an index of the examples
//   /examples/<name>/          each example folder, as static files
//   /dist/**                   the built package (`npm start` builds it first)
//   /vendor/<package>/**       a few packages' own files from node_modules, so examples need no build step
//   POST /api/chat             the proxy: to OpenAI with OPENAI_API_KEY set, else to the offline demo model
//                              (Responses or Chat Completions, told apart by the body)
//   POST /api/v1/responses,    the same proxy as an OpenAI-compatible base URL (`baseURL: …/api/v1`)
//        /api/v1/chat/completions
//   /v1/chat/completions,      the offline demo model itself, an OpenAI-compatible endpoint for withBaseUrl()
//   /v1/responses
//
// Every HTML page is sent with a strict Content-Security-Policy, so the examples prove they work
// without inline scripts or styles. Only requests addressed to localhost, 127.0.0.1 or [::1] are
// answered: a page on another name made to resolve here (DNS rebinding) gets 403.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const examplesDir = path.join(root, 'examples');
const distDir = path.join(root, 'dist');
const vendorPackages = ['vue', 'lit', 'lit-html', 'lit-element', '@lit/reactive-element', 'axe-core'];
const demoModels = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-5-mini', 'o4-mini'];
const localHosts = ['localhost', '127.0.0.1', '[::1]'];

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Starts the example server. Resolves once it listens; `url` is where, `close()` stops it (and ends
 * open connections, streaming ones included). Without `apiKey` the proxy talks to the offline demo
 * model; the key itself is never logged.
 *
 * @param {{ port?: number, host?: string, apiKey?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startServer(options = {}) {
  const { port = 8787, host = '127.0.0.1', log = console.log } = options;
  // `apiKey: undefined` given on purpose means the offline model, even when OPENAI_API_KEY is set.
  const apiKey = 'apiKey' in options ? options.apiKey : process.env.OPENAI_API_KEY;
  let server;
  try {
    server = await import(pathToFileURL(path.join(distDir, 'server.js')).href);
  } catch (error) {
    throw new Error(`dist/server.js is missing or broken: run \`npm run build\` first (${error.message}).`);
  }
  const { createOfflineModel, createOpenAiProxy, toNodeHandler } = server;
  const offlineModel = createOfflineModel({ delayMs: 20 });
  const proxy = toNodeHandler(
    createOpenAiProxy({
      ...(apiKey ? { apiKey } : { upstream: offlineModel }),
      allowedModels: demoModels,
      allowedHosts: localHosts,
    }),
  );
  const model = toNodeHandler(offlineModel);
  const backend = apiKey ? 'OpenAI, through the proxy' : 'the offline demo model';
  const routes = {
    '/api/chat': proxy,
    '/api/v1/responses': proxy,
    '/api/v1/chat/completions': proxy,
    '/v1/responses': model,
    '/v1/chat/completions': model,
  };

  const httpServer = http.createServer((req, res) => {
    if (!isLocalHost(req.headers.host)) {
      send(res, 403, 'text/plain; charset=utf-8', 'This server answers only for localhost.\n');
      return;
    }
    const pathname = (req.url ?? '/').split('?')[0];
    const route = routes[pathname];
    if (route) {
      route(req, res);
      return;
    }
    if (pathname === '/favicon.ico') {
      // The browser asks for it on every page; there is none, and a 404 would be a console error.
      res.writeHead(204, commonHeaders).end();
      return;
    }
    serveStatic(req, res, pathname, backend).catch((error) => {
      log(`error serving ${pathname}: ${error.message}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal server error\n');
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  log(
    apiKey
      ? `chatwire examples on ${url}/ — /api/chat proxies to OpenAI with the key from OPENAI_API_KEY`
      : `chatwire examples on ${url}/ — /api/chat uses the offline demo model (no OPENAI_API_KEY set, no network)`,
  );
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}

/** Whether a Host header names this machine by a loopback name (any port). */
function isLocalHost(host) {
  if (!host) return false;
  try {
    return localHosts.includes(new URL(`http://${host}`).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Static files for `/`, `/examples/**`, `/dist/**` and `/vendor/<package>/**`; `backend` is what
 * `/api/chat` talks to, for the index page to say.
 */
async function serveStatic(req, res, pathname, backend) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    return;
  }
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = undefined;
  }
  // Browsers resolve `..` before sending, so a request that still has one (often percent-encoded) is probing.
  if (decoded === undefined || decoded.split(/[\\/]/).includes('..') || decoded.includes('\0')) {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad request\n');
    return;
  }
  if (decoded === '/') {
    sendHtml(res, req, await indexPage(backend), decoded);
    return;
  }
  const mount = findMount(decoded);
  const file = mount && insideRoot(mount.dir, decoded.slice(mount.prefix.length));
  if (!file) {
    notFound(res);
    return;
  }
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    notFound(res);
    return;
  }
  if (info.isDirectory()) {
    if (!pathname.endsWith('/')) {
      // The query goes along: `/examples/bring-your-own-key?baseUrl=…` must keep its `baseUrl`.
      const query = (req.url ?? '').slice(pathname.length);
      res.writeHead(301, { location: `${pathname}/${query}` }).end();
      return;
    }
    const index = path.join(file, 'index.html');
    if (await stat(index).catch(() => undefined)) {
      sendHtml(res, req, await readFile(index, 'utf8'), decoded);
    } else {
      sendHtml(res, req, await listingPage(decoded, file), decoded);
    }
    return;
  }
  const type = contentTypes[path.extname(file)] ?? 'application/octet-stream';
  if (type.startsWith('text/html')) {
    sendHtml(res, req, await readFile(file, 'utf8'), decoded);
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, { 'content-type': type, 'content-length': body.length, ...commonHeaders });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const commonHeaders = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };

function findMount(decoded) {
  if (decoded.startsWith('/examples/')) return { prefix: '/examples/', dir: examplesDir };
  if (decoded.startsWith('/dist/')) return { prefix: '/dist/', dir: distDir };
  for (const name of vendorPackages) {
    const prefix = `/vendor/${name}/`;
    if (decoded.startsWith(prefix)) return { prefix, dir: path.join(root, 'node_modules', name) };
  }
  return undefined;
}

/** The file a request path names inside `dir`, or undefined when it would leave `dir`. */
function insideRoot(dir, relative) {
  // serveStatic already refused `..` and NUL; a backslash is a separator only on Windows.
  if (relative.includes('\\')) return undefined;
  const resolved = path.resolve(dir, `.${path.posix.normalize(`/${relative}`)}`);
  return resolved === dir || resolved.startsWith(dir + path.sep) ? resolved : undefined;
}

/**
 * `default-src 'self'` everywhere; the bring-your-own-key page may also call OpenAI directly. An
 * inline import map (the only inline script the examples have) is allowed by its own hash, never
 * by 'unsafe-inline'.
 */
function cspFor(decoded, html) {
  const connect = decoded.startsWith('/examples/bring-your-own-key/')
    ? "; connect-src 'self' https://api.openai.com"
    : '';
  const hashes = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]).digest('base64')}'`,
  );
  const script = hashes.length > 0 ? `; script-src 'self' ${hashes.join(' ')}` : '';
  return `default-src 'self'${script}${connect}`;
}

function sendHtml(res, req, html, decoded) {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'content-security-policy': cspFor(decoded, html),
    ...commonHeaders,
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

function send(res, status, type, text) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    ...commonHeaders,
  });
  res.end(text);
}

function notFound(res) {
  send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
}

const escapeHtml = (text) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char],
  );

/** A demo chat (the web-component example's `<ai-chat>`) and a link to every example. */
async function indexPage(backend) {
  const entries = await readdir(examplesDir, { withFileTypes: true }).catch(() => []);
  const items = [];
  for (const entry of entries
    .filter((item) => item.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const page = await readFile(path.join(examplesDir, entry.name, 'index.html'), 'utf8').catch(
      () => undefined,
    );
    const title = page?.match(/<title>([^<]*)<\/title>/)?.[1]?.trim();
    const description = page?.match(/<meta name="description" content="([^"]*)"/)?.[1];
    const label = escapeHtml(entry.name);
    const href = `/examples/${encodeURIComponent(entry.name)}/`;
    const detail = page
      ? `${title ? ` — ${title}` : ''}${description ? `: ${description}` : ''}`
      : ' — source files';
    items.push(`      <li><a href="${href}">${label}</a>${detail}</li>`);
  }
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>chatwire</title>
    <link rel="stylesheet" href="/examples/page.css">
    <link rel="stylesheet" href="/examples/web-component/page.css">
    <script src="/dist/chatwire.iife.js" defer></script>
    <script src="/examples/web-component/define.js" defer></script>
  </head>
  <body>
    <main>
      <h1>chatwire</h1>
      <p class="lede">A demo chat on <code>/api/chat</code>, which talks to ${escapeHtml(backend)}.</p>
      <section aria-label="Demo chat">
        <ai-chat url="/api/chat" model="gpt-4o-mini" placeholder="Ask anything…" color-scheme="auto"></ai-chat>
      </section>
      <h2>Examples</h2>
      <p>Each example talks to <code>/api/chat</code> on this server unless it says otherwise.</p>
      <ul>
${items.join('\n')}
      </ul>
    </main>
  </body>
</html>
`;
}

async function listingPage(decoded, dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const items = entries
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
    .sort()
    .map((name) => `      <li><a href="${encodeURI(name)}">${escapeHtml(name)}</a></li>`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${escapeHtml(decoded)}</title>
  </head>
  <body>
    <main>
      <h1>${escapeHtml(decoded)}</h1>
      <ul>
${items.join('\n')}
      </ul>
      <p><a href="/">All examples</a></p>
    </main>
  </body>
</html>
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 8787);
  startServer({ port }).catch((error) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Port ${port} is in use: set PORT to another port.`
        : `Could not start: ${error.message}`,
    );
    process.exit(1);
  });
}
