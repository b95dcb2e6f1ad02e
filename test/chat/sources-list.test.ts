// @vitest-environment happy-dom
import axe from 'axe-core';
import { describe, expect, test } from 'vitest';
import { createSourcesView } from '../../src/chat/view/sources';
import { newHost } from './helpers';

const links = (box: HTMLElement | null) =>
  [...(box?.querySelectorAll('a') ?? [])].map((a) => [a.textContent, a.getAttribute('href')]);

describe('the sources under a reply', () => {
  test('lists each source as a link named by its title, in a list labelled "Sources"', () => {
    const box = createSourcesView([
      { url: 'https://example.com/a', title: 'Example A' },
      { url: 'https://docs.example.org/b?x=1#y', title: 'Docs B' },
    ])!;
    expect(links(box)).toEqual([
      ['Example A', 'https://example.com/a'],
      ['Docs B', 'https://docs.example.org/b?x=1#y'],
    ]);
    const list = box.querySelector('ul')!;
    const label = box.querySelector(`#${list.getAttribute('aria-labelledby')}`);
    expect(label?.textContent).toBe('Sources');
    for (const a of box.querySelectorAll('a')) {
      expect(a.rel).toBe('noopener noreferrer');
      expect(a.target).toBe('_blank');
    }
  });

  test('nothing unsafe becomes a link: the markdown URL rules decide', () => {
    const box = createSourcesView([
      { url: 'javascript:alert(1)', title: 'js' },
      { url: 'java\tscript:alert(1)', title: 'tab' },
      { url: '&#106;avascript:alert(1)', title: 'entity' },
      { url: 'data:text/html,<script>alert(1)</script>', title: 'data' },
      { url: 'vbscript:msgbox', title: 'vb' },
      { url: '', title: 'empty' },
      { url: 42 as unknown as string, title: 'not a string' },
      { url: 'https://ok.example/', title: 'ok' },
    ]);
    expect(links(box)).toEqual([['ok', 'https://ok.example/']]);
    expect(box!.textContent).not.toMatch(/js|tab|entity|data|vb|empty|not a string/);
  });

  test('only unsafe or no sources: no list at all', () => {
    expect(createSourcesView([])).toBeNull();
    expect(createSourcesView([{ url: 'javascript:void 0', title: 'x' }])).toBeNull();
  });

  test('titles are text, never HTML; an empty title shows the URL', () => {
    const box = createSourcesView([
      { url: 'https://a.example/', title: '<img src=x onerror=alert(1)>' },
      { url: 'https://b.example/path', title: '  ' },
      { url: 'https://c.example/' },
    ])!;
    expect(box.querySelector('img')).toBeNull();
    expect(links(box)).toEqual([
      ['<img src=x onerror=alert(1)>', 'https://a.example/'],
      ['https://b.example/path', 'https://b.example/path'],
      ['https://c.example/', 'https://c.example/'],
    ]);
  });

  test('a URL cited several times is listed once', () => {
    const box = createSourcesView([
      { url: 'https://a.example/', title: 'A' },
      { url: 'https://a.example/', title: 'A again' },
      { url: 'https://b.example/', title: 'B' },
    ]);
    expect(links(box)).toEqual([
      ['A', 'https://a.example/'],
      ['B', 'https://b.example/'],
    ]);
  });

  test('follows markdownLinkTarget and takes its label from the strings', () => {
    const box = createSourcesView([{ url: 'https://a.example/', title: 'A' }], {
      label: 'Quellen',
      markdown: { markdownLinkTarget: 'self' },
    })!;
    expect(box.querySelector('a')!.hasAttribute('target')).toBe(false);
    expect(box.querySelector('.cw-sources-label')!.textContent).toBe('Quellen');
  });

  test('axe finds nothing', async () => {
    const host = newHost();
    host.append(createSourcesView([{ url: 'https://a.example/', title: 'A' }])!);
    host.append(createSourcesView([{ url: 'https://b.example/', title: 'B' }])!);
    const result = await axe.run(host, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });
});
