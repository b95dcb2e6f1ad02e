// A static look at every example page, which also runs where Chromium is missing: nothing inline that
// a strict CSP would refuse (besides an import map, which the server allows by its hash), and a
// one-line description for the index page.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/example-server';
import { exampleFolders } from './support/examples';

describe.each(exampleFolders())('examples/%s/index.html', (name) => {
  const html = readFileSync(`${repoRoot}examples/${name}/index.html`, 'utf8');
  // Comments may talk about <script> tags; only markup counts.
  const markup = html.replace(/<!--[\s\S]*?-->/g, '');

  it('has no inline script other than an import map', () => {
    const inline = [...markup.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
      ([, attributes, body]) =>
        !/\bsrc=/.test(attributes) && body.trim() !== '' && !/type="importmap"/.test(attributes),
    );
    expect(inline.map(([tag]) => tag)).toEqual([]);
  });

  it('has no inline style, event handler or javascript: URL', () => {
    expect(markup).not.toMatch(/<style\b/i);
    expect(markup).not.toMatch(/\sstyle=/i);
    expect(markup).not.toMatch(/\son[a-z]+=/i);
    expect(markup).not.toMatch(/javascript:/i);
  });

  it('opens with a one-line description and gives the index one', () => {
    expect(html).toMatch(new RegExp(`^<!doctype html>\\n<!-- ${name}: [^\\n]+ -->\\n`));
    expect(html).toMatch(/<meta name="description" content="[^"]+">/);
  });
});
