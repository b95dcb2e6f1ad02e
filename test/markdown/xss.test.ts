// @vitest-environment happy-dom
// Model output cannot put executable content on the page: no script-capable elements, no event
// handler or style attributes, and no link whose URL a browser would resolve to anything other than
// http:, https: or mailto:. Checked with every payload fed whole and one character at a time.
import { describe, expect, it } from 'vitest';
import { renderPieces, renderWhole } from './helpers';

const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
  '<div style="background:url(javascript:alert(1))" onmouseover="alert(1)">hover</div>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<p>text</p><style>*{}</style><object data="x"></object>',
  '[x](javascript:alert(1))',
  '[x](JAVASCRIPT:alert(1))',
  '[x](java\tscript:alert(1))',
  '[x]( javascript:alert(1))',
  '[x](java\u0000script:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;avascript:alert(1))',
  '[x](javascript&colon;alert(1))',
  '![x](javascript:alert(1))',
  '<javascript:alert(1)>',
  '<JaVaScRiPt:alert(1)>',
  '[<img src=x onerror=alert(1)>](https://ok.example)',
  '[`<script>`](https://ok.example)',
  '`<script>alert(1)</script>`',
  '**<img src=x onerror=alert(1)>**',
  '[a](https://ok.example "onmouseover=alert(1)")',
  '[a](https://ok.example" onclick="alert(1))',
  '```"><script>alert(1)</script>\ncode\n```',
  '```js onload=alert(1)\nx\n```',
  '| <script>alert(1)</script> | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [c](javascript:alert(1)) |',
  '> <script>alert(1)</script>\n> - [x](vbscript:x)',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  'javascript:alert(1) and data:text/html,x as bare text',
  'https://ok.example/"onmouseover="alert(1) bare',
  'https://ok.example/<script>alert(1)</script>',
];

const allowedTags = new Set([
  'DIV',
  'P',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'PRE',
  'CODE',
  'SPAN',
  'BUTTON',
  'HR',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'EM',
  'STRONG',
  'DEL',
  'A',
  'BR',
  'INPUT',
]);
const safeProtocols = new Set(['http:', 'https:', 'mailto:']);

/** Returns what is unsafe in `root`, empty when nothing is. */
function unsafeContent(root: HTMLElement): string[] {
  const problems: string[] = [];
  for (const element of root.querySelectorAll('*')) {
    if (!allowedTags.has(element.tagName)) problems.push(`element <${element.tagName}>`);
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name) || attribute.name === 'style')
        problems.push(`attribute ${attribute.name}`);
    }
    const href = element.getAttribute('href');
    if (href !== null) {
      // Resolve as a browser would: a relative URL stays on the page's own http(s) origin.
      const protocol = new URL(href, 'https://page.example/chat').protocol;
      if (!safeProtocols.has(protocol)) problems.push(`href ${href}`);
    }
  }
  return problems;
}

describe('markdown XSS', () => {
  it.each(payloads.map((p) => [p]))('%j renders nothing executable', (payload) => {
    for (const target of [
      renderWhole(payload),
      renderPieces(payload.split('')),
      renderWhole(payload, { showCodeBlockCopyButton: true }),
    ]) {
      expect(unsafeContent(target)).toEqual([]);
      expect(target.querySelector('script, img, svg, iframe, object, style')).toBeNull();
    }
  });

  it('shows raw HTML to the reader as text', () => {
    const target = renderWhole('<img src=x onerror=alert(1)> and <script>alert(1)</script>');
    expect(target.textContent).toBe('<img src=x onerror=alert(1)> and <script>alert(1)</script>');
  });

  it('keeps the label of a refused link as plain text and drops its URL', () => {
    const target = renderWhole('click [here](javascript:alert(1)) now');
    expect(target.innerHTML).toBe('<p>click here now</p>');
  });

  it('cleans a code block language into a class without quotes or spaces', () => {
    const target = renderWhole('```"><script>alert(1)</script>\ncode\n```');
    const code = target.querySelector('code')!;
    expect(code.getAttribute('class') ?? '').toMatch(/^(language-[A-Za-z0-9_+#.-]*)?$/);
  });

  it('the checker itself flags executable content', () => {
    const root = document.createElement('div');
    root.innerHTML = '<a href="jav&#x09;ascript:x" onclick="y">a</a><img>';
    expect(unsafeContent(root)).toEqual(['attribute onclick', 'href jav\tascript:x', 'element <IMG>']);
  });
});
