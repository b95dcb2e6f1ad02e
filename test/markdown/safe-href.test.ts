// Which link destinations become an href: http(s), mailto and relative URLs, nothing that a browser
// would run or load as a document (javascript:, data:, vbscript:, …), however it is disguised.
import { describe, expect, it } from 'vitest';
import { safeHref } from '../../src/chat/markdown/safe-href';

describe('safeHref', () => {
  it.each([
    ['https://example.com/a?b=c#d', 'https://example.com/a?b=c#d'],
    ['HTTP://EXAMPLE.COM', 'HTTP://EXAMPLE.COM'],
    ['mailto:a@b.co', 'mailto:a@b.co'],
    ['/docs', '/docs'],
    ['./a:b', './a:b'],
    ['page?x=a:b', 'page?x=a:b'],
    ['#section', '#section'],
    ['//cdn.example/x', '//cdn.example/x'],
  ])('allows %j', (input, href) => {
    expect(safeHref(input)).toBe(href);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    ' \u0001javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '&#106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    '&#x6A;avascript:alert(1)',
    'javascript&#58;alert(1)',
    'jav&#x09;ascript:alert(1)',
  ])('refuses %j', (input) => {
    expect(safeHref(input)).toBeNull();
  });

  it('judges the scheme after decoding entities, and returns the destination as given', () => {
    // The inline parser has already applied escapes and entities once; a second layer is still judged.
    expect(safeHref('https://x.io/?a=1&amp;b=2')).toBe('https://x.io/?a=1&amp;b=2');
    expect(safeHref('https&#58;//x.io')).toBe('https&#58;//x.io');
    expect(safeHref('/a&unknown;b')).toBe('/a&unknown;b');
  });

  it('judges the scheme without the whitespace and control characters a browser would ignore', () => {
    expect(safeHref(' https://exa\tmple.com/\n')).toBe(' https://exa\tmple.com/\n');
    expect(safeHref(' java\tscript:x')).toBeNull();
  });

  it('treats a colon after an invalid scheme as part of a relative URL, as browsers do', () => {
    expect(safeHref('foo):')).toBe('foo):');
    expect(safeHref('')).toBe('');
  });
});
