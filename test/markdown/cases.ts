// Markdown inputs and the HTML they must render to (default options, no copy button). Shared by the
// expected-output test and the split-invariance test.

/** One row of the table: a name, the markdown, and the HTML after end() (compared normalised). */
export interface RenderCase {
  name: string;
  input: string;
  html: string;
}

const code = (lang: string, body: string, label = lang) =>
  `<div class="cw-code">${label ? `<div class="cw-code-header"><span class="cw-code-lang">${label}</span></div>` : ''}<pre><code${lang ? ` class="language-${lang}"` : ''}>${body}</code></pre></div>`;
const a = (href: string, text: string) =>
  `<a href="${href}" rel="noopener noreferrer" target="_blank">${text}</a>`;

export const renderCases: RenderCase[] = [
  { name: 'paragraph', input: 'Hello world', html: '<p>Hello world</p>' },
  { name: 'two paragraphs', input: 'one\n\ntwo\n', html: '<p>one</p><p>two</p>' },
  { name: 'soft line break', input: 'a\nb', html: '<p>a\nb</p>' },
  { name: 'hard break by two spaces', input: 'a  \nb', html: '<p>a<br>b</p>' },
  { name: 'hard break by backslash', input: 'a\\\nb', html: '<p>a<br>b</p>' },
  { name: 'trailing spaces dropped', input: 'a   \n\nb ', html: '<p>a</p><p>b</p>' },
  { name: 'emphasis with *', input: 'an *em* word', html: '<p>an <em>em</em> word</p>' },
  { name: 'emphasis with _', input: 'an _em_ word', html: '<p>an <em>em</em> word</p>' },
  { name: 'strong with **', input: 'a **strong** word', html: '<p>a <strong>strong</strong> word</p>' },
  { name: 'strong with __', input: 'a __strong__ word', html: '<p>a <strong>strong</strong> word</p>' },
  { name: 'strong and emphasis', input: '***both***', html: '<p><em><strong>both</strong></em></p>' },
  { name: 'emphasis inside strong', input: '**a *b* c**', html: '<p><strong>a <em>b</em> c</strong></p>' },
  { name: 'strikethrough', input: 'was ~~wrong~~ ~5 min', html: '<p>was <del>wrong</del> ~5 min</p>' },
  { name: 'intraword underscores', input: 'snake_case_name', html: '<p>snake_case_name</p>' },
  { name: 'spaced asterisks', input: '2 * 3 * 4', html: '<p>2 * 3 * 4</p>' },
  { name: 'emphasis across a soft break', input: '*a\nb*', html: '<p><em>a\nb</em></p>' },
  {
    name: 'unclosed strong stays text',
    input: '**never closed',
    html: '<p>**never closed</p>',
  },
  {
    name: 'emphasis at line start',
    input: '*em* first\n**Note:** text',
    html: '<p><em>em</em> first\n<strong>Note:</strong> text</p>',
  },
  {
    name: 'numbers and signs at line start',
    input: '2024 was\n1.5 million\n+1 vote\n-5 degrees',
    html: '<p>2024 was\n1.5 million\n+1 vote\n-5 degrees</p>',
  },
  { name: 'inline code', input: 'run `npm i` now', html: '<p>run <code>npm i</code> now</p>' },
  { name: 'code span with backticks', input: '``a ` b``', html: '<p><code>a ` b</code></p>' },
  { name: 'markup inside code span', input: '`*a* [b](c)`', html: '<p><code>*a* [b](c)</code></p>' },
  { name: 'escapes', input: '\\*not em\\* \\[x] \\_', html: '<p>*not em* [x] _</p>' },
  { name: 'heading 1', input: '# Title', html: '<h1>Title</h1>' },
  {
    name: 'headings 2 to 6',
    input: '## b\n### c\n#### d\n##### e\n###### f',
    html: '<h2>b</h2><h3>c</h3><h4>d</h4><h5>e</h5><h6>f</h6>',
  },
  {
    name: 'heading with inline markup',
    input: '## A *b* `c`\ntext',
    html: '<h2>A <em>b</em> <code>c</code></h2><p>text</p>',
  },
  { name: 'not headings', input: '####### seven\n#tag', html: '<p>####### seven\n#tag</p>' },
  { name: 'fenced code with language', input: '```js\nlet a = 1;\n```', html: code('js', 'let a = 1;\n') },
  { name: 'fenced code with tildes', input: '~~~\nx\n~~~\n', html: code('', 'x\n') },
  {
    name: 'longer fence keeps inner fence',
    input: '````md\n```\ninner\n```\n````\nafter',
    html: `${code('md', '```\ninner\n```\n')}<p>after</p>`,
  },
  { name: 'markup inside code block', input: '```\n# *no* <b>\n```', html: code('', '# *no* &lt;b&gt;\n') },
  { name: 'unclosed fence at the end', input: '```py\nprint(1)', html: code('py', 'print(1)\n') },
  { name: 'inline triple backticks are not a fence', input: '```x``` y', html: '<p><code>x</code> y</p>' },
  { name: 'unordered list', input: '- a\n- b\n', html: '<ul><li>a</li><li>b</li></ul>' },
  { name: 'star and plus bullets', input: '* a\n\n+ b', html: '<ul><li>a</li></ul><ul><li>b</li></ul>' },
  { name: 'ordered list', input: '1. one\n2. two', html: '<ol><li>one</li><li>two</li></ol>' },
  {
    name: 'ordered list start',
    input: '3) three\n4) four',
    html: '<ol start="3"><li>three</li><li>four</li></ol>',
  },
  {
    name: 'nested lists',
    input: '- a\n  - b\n    1. c\n- d',
    html: '<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>',
  },
  {
    name: 'list items across a blank line',
    input: '1. a\n\n2. b\n\n   more\n\nout',
    html: '<ol><li><p>a</p></li><li><p>b</p><p>more</p></li></ol><p>out</p>',
  },
  {
    name: 'under-indented code leaves the list item (CommonMark)',
    input: '1. Install:\n   ```bash\nnpm i\n   ```\n2. Run',
    html: `<ol><li>Install:${code('bash', '')}</li></ol><p>npm i</p>${code('', '2. Run\n')}`,
  },
  {
    name: 'code block in a blockquote',
    input: '> ```\n> a\n>\n> b\n> ```\n> after',
    html: `<blockquote>${code('', 'a\n\nb\n')}<p>after</p></blockquote>`,
  },
  { name: 'lazy list continuation', input: '- a\nstill a', html: '<ul><li>a\nstill a</li></ul>' },
  {
    name: 'code block inside a list item',
    input: '1. Run:\n   ```sh\n   npm i\n   ```\n2. Done',
    html: `<ol><li>Run:${code('sh', 'npm i\n')}</li><li>Done</li></ol>`,
  },
  {
    name: 'bold list item',
    input: '- **Name**: value',
    html: '<ul><li><strong>Name</strong>: value</li></ul>',
  },
  {
    name: 'task list items',
    input: '- [ ] todo\n- [x] done\n- [ ]not a task',
    html: '<ul><li><input type="checkbox" disabled=""> todo</li><li><input type="checkbox" disabled="" checked=""> done</li><li>[ ]not a task</li></ul>',
  },
  {
    name: 'link',
    input: 'see [docs](https://example.com/a)',
    html: `<p>see ${a('https://example.com/a', 'docs')}</p>`,
  },
  {
    name: 'link with markup',
    input: '[**b** `c`](http://x.io)',
    html: `<p>${a('http://x.io', '<strong>b</strong> <code>c</code>')}</p>`,
  },
  { name: 'relative link', input: '[here](/docs?a=1#b)', html: `<p>${a('/docs?a=1#b', 'here')}</p>` },
  { name: 'mailto link', input: '[mail](mailto:a@b.co)', html: `<p>${a('mailto:a@b.co', 'mail')}</p>` },
  {
    name: 'link with title',
    input: '[t](https://x.io "T")',
    html: '<p><a href="https://x.io" title="T">t</a></p>',
  },
  {
    name: 'link with parentheses',
    input: '[w](https://en.wikipedia.org/wiki/A_(b))',
    html: `<p>${a('https://en.wikipedia.org/wiki/A_(b)', 'w')}</p>`,
  },
  {
    name: 'autolink',
    input: 'at <https://x.io/a?b> now',
    html: `<p>at ${a('https://x.io/a?b', 'https://x.io/a?b')} now</p>`,
  },
  {
    name: 'bare URLs',
    input: 'see https://x.io/a_(b)_c. or (http://y.io/z), not ahttp://q.io',
    html: `<p>see ${a('https://x.io/a_(b)_c', 'https://x.io/a_(b)_c')}. or (${a('http://y.io/z', 'http://y.io/z')}), not ahttp://q.io</p>`,
  },
  {
    name: 'bare URL inside strong, code and a link',
    input: '**https://q.io** `https://c.io` [https://l.io](https://m.io)',
    html: `<p><strong>${a('https://q.io', 'https://q.io')}</strong> <code>https://c.io</code> ${a('https://m.io', 'https://l.io')}</p>`,
  },
  {
    name: 'image becomes a link',
    input: '![cat](https://x.io/c.png)',
    html: `<p>${a('https://x.io/c.png', 'cat')}</p>`,
  },
  { name: 'brackets that are not links', input: 'a [b] c [d]', html: '<p>a [b] c [d]</p>' },
  { name: 'blockquote', input: '> a\n> b\n\nc', html: '<blockquote><p>a\nb</p></blockquote><p>c</p>' },
  { name: 'lazy blockquote continuation', input: '> a\nb', html: '<blockquote><p>a\nb</p></blockquote>' },
  {
    name: 'nested blockquote',
    input: '> a\n> > b\n> c',
    html: '<blockquote><p>a</p><blockquote><p>b\nc</p></blockquote></blockquote>',
  },
  {
    name: 'list inside blockquote',
    input: '> - a\n> - b',
    html: '<blockquote><ul><li>a</li><li>b</li></ul></blockquote>',
  },
  {
    name: 'table',
    input: '| a | b | c |\n|:--|:-:|--:|\n| 1 | *2* | 3 |\n',
    html:
      '<div class="cw-table"><table><thead><tr><th class="cw-align-left">a</th><th class="cw-align-center">b</th>' +
      '<th class="cw-align-right">c</th></tr></thead><tbody><tr><td class="cw-align-left">1</td>' +
      '<td class="cw-align-center"><em>2</em></td><td class="cw-align-right">3</td></tr></tbody></table></div>',
  },
  {
    name: 'table rows with missing, extra and escaped cells',
    input: '| a | b |\n| --- | --- |\n| 1 |\n| x \\| y | z | extra |\n|  | `c` |\nafter',
    html:
      '<div class="cw-table"><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>' +
      '<tr><td>1</td><td></td></tr><tr><td>x | y</td><td>z</td></tr><tr><td></td><td><code>c</code></td></tr>' +
      // GFM: a line without pipes still continues the table.
      '<tr><td>after</td><td></td></tr></tbody></table></div>',
  },
  {
    name: 'table header only',
    input: '| a |\n|---|',
    html: '<div class="cw-table"><table><thead><tr><th>a</th></tr></thead></table></div>',
  },
  {
    name: 'pipe line that is not a table',
    input: '| a | b |\n| not a delimiter |',
    html: '<p>| a | b |\n| not a delimiter |</p>',
  },
  {
    name: 'delimiter row with the wrong cell count',
    input: '| a | b |\n|---|\nx',
    html: '<p>| a | b |\n|---|\nx</p>',
  },
  {
    name: 'table interrupting a paragraph',
    input: 'Intro:\n| a |\n|---|\n| 1 |',
    html: '<p>Intro:</p><div class="cw-table"><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table></div>',
  },
  { name: 'pipe line continuing a paragraph', input: 'a\n| b\nc', html: '<p>a\n| b\nc</p>' },
  { name: 'horizontal rules', input: '---\n***\n___\n- - -', html: '<hr><hr><hr><hr>' },
  { name: 'rule after a paragraph', input: 'a\n\n---\nb', html: '<p>a</p><hr><p>b</p>' },
  {
    name: 'raw html is text',
    input: '<div onclick="x()">hi</div>\n\na <b>b</b>',
    html: '<p>&lt;div onclick="x()"&gt;hi&lt;/div&gt;</p><p>a &lt;b&gt;b&lt;/b&gt;</p>',
  },
  { name: 'CRLF line endings', input: '# a\r\n\r\n- b\r\n', html: '<h1>a</h1><ul><li>b</li></ul>' },
];
