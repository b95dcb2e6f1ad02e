// A reply made of XSS payloads, streamed by the offline model in small pieces, executes nothing in any
// example. The page's CSP is bypassed here on purpose: with `default-src 'self'` Chrome would refuse
// inline handlers by itself, and this test is about the renderer, which must be safe without that net.
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';
import { chatIn, textOf } from './support/chat-driver';
import { describeInChromium } from './support/chromium';
import { EXAMPLES } from './support/examples';

/** Each line, if it ever ran, would set `window.__xss` (directly or through `parent`). */
const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 1">',
  '<svg onload="window.__xss = 1"><circle r="1"/></svg>',
  '<iframe srcdoc="<script>parent.__xss = 1</script>"></iframe>',
  '<details open ontoggle="window.__xss = 1">x</details>',
  '<a href="javascript:window.__xss = 1">raw anchor</a>',
  '[markdown link](javascript:window.__xss=1)',
  '[mixed case](JaVaScRiPt:window.__xss=1)',
  '[entity-encoded](&#106;avascript:window.__xss=1)',
  '[tab inside](java\tscript:window.__xss=1)',
  '[data url](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==)',
  '[vbscript](vbscript:msgbox(1))',
  '<javascript:window.__xss=1>',
  '![image](x" onerror="window.__xss=1)',
  '**<img src=x onerror=window.__xss=1>** and _<b onmouseover=window.__xss=1>hover</b>_',
  '&lt;img src=x onerror=window.__xss=1&gt; and &#60;script&#62;window.__xss=1&#60;/script&#62;',
  '`<img src=x onerror=window.__xss=1>` in inline code',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<style>@import "javascript:window.__xss=1";</style>',
  '```html\n<script>window.__xss = 1</script>\n```',
];

describeInChromium('XSS payloads in a streamed reply', () => {
  const suite = useBrowserSuite();

  describe.each(EXAMPLES)('$name', (example) => {
    it('renders them as inert text: no handler, no script, no unsafe link, window.__xss unset', async () => {
      const { page, watch } = await suite.openExample(example, { bypassCSP: true });
      await example.prepare?.(page);
      const chat = chatIn(page);
      const reply = await chat.ask(`/echo ${PAYLOADS.join('\n\n')}`);
      await chat.idle(30_000);
      await expect.poll(() => textOf(reply), { timeout: 10_000 }).toContain('in inline code');
      // Error events of a broken <img> and toggles fire asynchronously; give them time.
      await page.waitForTimeout(500);

      // The whole conversation: the reader's own message shows the same payloads.
      const found = await chat.log.evaluate((node) => {
        const all = [...node.querySelectorAll('*')];
        return {
          handlers: all.flatMap((el) =>
            el.getAttributeNames().filter((a) => a.toLowerCase().startsWith('on')),
          ),
          dangerous: all
            .filter((el) =>
              /^(script|iframe|object|embed|svg|math|style|details|base|form)$/i.test(el.localName),
            )
            .map((el) => el.localName),
          // Resolved like the browser would: a relative path is harmless, a `javascript:` one is not.
          protocols: all
            .flatMap((el) =>
              ['href', 'src', 'action', 'formaction', 'xlink:href'].map((a) => el.getAttribute(a)),
            )
            .filter((v) => v !== null)
            .map((v) => {
              try {
                return new URL(v ?? '', document.baseURI).protocol;
              } catch {
                return 'unparsable:';
              }
            }),
        };
      });
      expect(found.handlers).toEqual([]);
      expect(found.dangerous).toEqual([]);
      expect(found.protocols.filter((p) => !['http:', 'https:', 'mailto:'].includes(p))).toEqual([]);
      // The payloads are still there for the reader, as text.
      expect(await textOf(reply)).toContain('<script>window.__xss = 1</script>');
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(watch.errors.filter((e) => e.startsWith('uncaught'))).toEqual([]);
    }, 45_000);
  });
});

// Issue 9: with a syntax highlighter and no sanitizer, a highlighter that escapes nothing used to be
// handed the model's raw language and have its output parsed as HTML. Mounted in the cdn example's page
// (window.Chatwire) with a custom adapter streaming the payloads in small pieces.
const HIGHLIGHTER_PAYLOADS = [
  '```x"><img/src/onerror=window.__xss=2>\nplain code\n```',
  '```js\n<img src=x onerror="window.__xss=3">\n<script>window.__xss=4</script>\n```',
  '```"><svg/onload=window.__xss=5>\n<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>\n```',
];

describeInChromium('XSS through a syntax highlighter', () => {
  const suite = useBrowserSuite();

  it('a highlighter that escapes nothing gets the cleaned language and injects nothing', async () => {
    const cdn = EXAMPLES.find((e) => e.name === 'cdn')!;
    const { page, watch } = await suite.openExample(cdn, { bypassCSP: true });
    const result = await page.evaluate(async (payload) => {
      type Observer = { next(d: string): void; complete(): void };
      type Builder = {
        withAdapter(adapter: unknown): Builder;
        withMessageOptions(options: unknown): Builder;
        mount(host: Element): { on(event: string, cb: () => void): void; sendMessage(text: string): void };
      };
      const w = window as unknown as {
        Chatwire: { createAiChat(): Builder };
        __languages: string[];
      };
      w.__languages = [];
      const host = document.createElement('div');
      document.body.appendChild(host);
      const adapter = {
        async streamText(_message: string, observer: Observer) {
          for (let i = 0; i < payload.length; i += 3) {
            observer.next(payload.slice(i, i + 3));
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
          observer.complete();
        },
      };
      const chat = w.Chatwire.createAiChat()
        .withAdapter(adapter)
        .withMessageOptions({
          syntaxHighlighter: (code: string, language: string) => {
            w.__languages.push(language);
            return `<span class="hl">${code}</span><b class="${language}">${language}</b>`;
          },
        })
        .mount(host);
      await new Promise<void>((resolve) => {
        chat.on('messageReceived', () => resolve());
        chat.sendMessage('go');
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const all = [...host.querySelectorAll('*')];
      return {
        languages: w.__languages,
        handlers: all.flatMap((el) => el.getAttributeNames().filter((a) => a.toLowerCase().startsWith('on'))),
        dangerous: all
          .filter((el) => /^(script|iframe|img|svg|b)$/i.test(el.localName))
          .map((el) => el.localName),
        highlighted: host.querySelectorAll('code span.hl').length,
      };
    }, HIGHLIGHTER_PAYLOADS.join('\n\n'));
    expect(result.languages).toEqual(['ximgsrconerrorwindow.__xss2', 'js', 'svgonloadwindow.__xss5']);
    expect(result.handlers).toEqual([]);
    expect(result.dangerous).toEqual([]);
    expect(result.highlighted).toBe(3);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(watch.errors.filter((e) => e.startsWith('uncaught'))).toEqual([]);
  }, 45_000);
});
