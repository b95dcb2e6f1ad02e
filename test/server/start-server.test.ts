// `npm start`'s server (scripts/start.mjs, over the built dist/): the index lists the examples, static
// files come with the right content type and a strict CSP, paths cannot climb out of their folder,
// and /api/chat streams from the offline demo model when no key is set. Needs `npm run build` first.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer } from '../../scripts/start.mjs';

const lines: string[] = [];
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer({ port: 0, apiKey: '', log: (line) => lines.push(line) });
});
afterAll(() => server.close());

/** A GET with the path sent exactly as written (fetch would normalise `..` away before sending). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    http
      .get({ hostname, port, path }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text) => {
          body += text;
        });
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      })
      .on('error', reject);
  });
}

describe('startup', () => {
  it('says where it listens and that it uses the offline model', () => {
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(server.url);
    expect(lines[0]).toMatch(/offline demo model/);
  });

  it('says it talks to OpenAI when a key is given, without printing the key', async () => {
    const logged: string[] = [];
    const withKey = await startServer({
      port: 0,
      apiKey: 'sk-test-start-0123456789SECRET',
      log: (line) => logged.push(line),
    });
    await withKey.close();
    expect(logged[0]).toMatch(/OpenAI/);
    expect(logged.join('\n')).not.toContain('sk-test');
    expect(logged.join('\n')).not.toContain('SECRET');
  });

  it('uses the offline model when given apiKey: undefined, even with OPENAI_API_KEY set', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-test-from-env-0123456789');
    const logged: string[] = [];
    try {
      const offline = await startServer({ port: 0, apiKey: undefined, log: (line) => logged.push(line) });
      await offline.close();
    } finally {
      vi.unstubAllEnvs();
    }
    expect(logged[0]).toMatch(/offline demo model/);
  });
});

describe('pages and files', () => {
  it('serves an index linking every example folder, with a strict CSP', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
    const html = await response.text();
    const folders = readdirSync(new URL('../../examples/', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.length).toBeGreaterThan(0);
    for (const name of folders) expect(html).toContain(`href="/examples/${name}/"`);
  });

  it('serves each example page with CSP default-src self, redirecting the slashless folder path', async () => {
    const redirect = await fetch(`${server.url}/examples/server`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/examples/server/');
    const listing = await fetch(`${server.url}/examples/server/`);
    expect(listing.status).toBe(200);
    expect(listing.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(await listing.text()).toContain('node.mjs');
  });

  it('keeps the query string when it redirects to the folder', async () => {
    const redirect = await fetch(`${server.url}/examples/bring-your-own-key?baseUrl=/v1`, {
      redirect: 'manual',
    });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/examples/bring-your-own-key/?baseUrl=/v1');
  });

  it('allows the bring-your-own-key page to connect to OpenAI, and only that page', async () => {
    const response = await fetch(`${server.url}/examples/bring-your-own-key/`);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; connect-src 'self' https://api.openai.com",
    );
  });

  it('allows an inline import map by its sha256 hash, never unsafe-inline', async () => {
    const response = await fetch(`${server.url}/examples/lit/`);
    const html = await response.text();
    const map = html.match(/<script type="importmap">([\s\S]*?)<\/script>/)![1]!;
    const hash = createHash('sha256').update(map).digest('base64');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).not.toContain('unsafe');
  });

  it('serves scripts, the built package and vendor files with their content types', async () => {
    for (const [path, type] of [
      ['/dist/index.js', 'text/javascript; charset=utf-8'],
      ['/dist/chatwire.iife.js', 'text/javascript; charset=utf-8'],
      ['/vendor/vue/dist/vue.runtime.esm-browser.prod.js', 'text/javascript; charset=utf-8'],
      ['/vendor/lit-html/lit-html.js', 'text/javascript; charset=utf-8'],
      ['/vendor/@lit/reactive-element/reactive-element.js', 'text/javascript; charset=utf-8'],
      ['/vendor/axe-core/axe.min.js', 'text/javascript; charset=utf-8'],
      ['/examples/page.css', 'text/css; charset=utf-8'],
      ['/examples/server/README.md', 'text/markdown; charset=utf-8'],
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      await response.arrayBuffer();
    }
  });

  it('answers 404 for missing files, packages off the list, and unknown routes', async () => {
    for (const path of [
      '/examples/nope/',
      '/dist/missing.js',
      '/vendor/openai/index.js',
      '/package.json',
      '/src/index.ts',
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      await response.arrayBuffer();
    }
  });

  it('refuses directory traversal, plain or encoded', async () => {
    for (const path of [
      '/examples/../package.json',
      '/examples/%2e%2e/package.json',
      '/examples/..%2fpackage.json',
      '/examples/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/dist/..%2f..%2f..%2fetc%2fpasswd',
      '/vendor/vue/..%2f..%2fpackage.json',
      '/vendor/vue/%2e%2e/openai/package.json',
      '/examples/..%5cpackage.json',
      '/examples/%00',
      '/examples/%E0%A4%A',
    ]) {
      const response = await rawGet(path);
      expect(response.status, path).toBe(400);
      expect(response.body, path).toBe('Bad request\n');
    }
  });
});

describe('/api/chat without a key', () => {
  it('streams the offline demo model through the proxy', async () => {
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: '/echo streamed!' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const content = [...text.matchAll(/"content":"([^"]*)"/g)].map((match) => match[1]).join('');
    expect(content).toBe('streamed!');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('allows only the demo models', async () => {
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'o3', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('model_not_allowed');
  });

  it('serves the offline model itself at /v1/chat/completions', async () => {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-anything' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '/echo direct' }] }),
    });
    expect((await response.json()).choices[0].message.content).toBe('direct');
  });
});

describe('only for localhost', () => {
  /** A request with a chosen Host header (fetch forbids setting it). */
  function withHost(host: string, method: string, path: string, body?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const request = http.request(
        { hostname, port, path, method, headers: { host, 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
  const chat = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

  it('refuses a request addressed to any other name (DNS rebinding), pages and proxy alike', async () => {
    const port = new URL(server.url).port;
    expect(await withHost(`rebind.attacker.example:${port}`, 'GET', '/')).toBe(403);
    expect(await withHost(`rebind.attacker.example:${port}`, 'POST', '/api/chat', chat)).toBe(403);
    expect(await withHost(`192.168.1.5:${port}`, 'POST', '/api/v1/chat/completions', chat)).toBe(403);
  });

  it('answers localhost, 127.0.0.1 and [::1] on any port', async () => {
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
      expect(await withHost(host, 'GET', '/'), host).toBe(200);
      expect(await withHost(host, 'POST', '/api/chat', chat), host).toBe(200);
    }
  });
});

describe('/api/v1 as an OpenAI base URL', () => {
  it('streams both APIs from the offline model to the openai npm client', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/api/v1`, maxRetries: 0 });
    let responsesText = '';
    const responses = await client.responses.create({
      model: 'gpt-4o-mini',
      input: '/echo via responses',
      stream: true,
    });
    for await (const event of responses)
      if (event.type === 'response.output_text.delta') responsesText += event.delta;
    expect(responsesText).toBe('via responses');
    let chatText = '';
    const chat = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: '/echo via chat' }],
    });
    for await (const chunk of chat) chatText += chunk.choices[0]?.delta?.content ?? '';
    expect(chatText).toBe('via chat');
  });

  it('proxies /api/v1/chat/completions to the offline model', async () => {
    const response = await fetch(`${server.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '/echo base url' }] }),
    });
    expect((await response.json()).choices[0].message.content).toBe('base url');
  });
});
