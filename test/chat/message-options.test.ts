// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat, MessageOptions } from '../../src/chat/types';
import { $, manualAdapter, messages, newHost } from './helpers';

// These run through the real streaming markdown renderer: the options must change what the reader gets.
let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

const reply = (markdown: string, messageOptions: MessageOptions = {}) => {
  const host = newHost();
  chat = createAiChat()
    .withAdapter(manualAdapter().adapter)
    .withMessageOptions(messageOptions)
    .withInitialConversation([{ role: 'assistant', message: markdown }])
    .mount(host);
  return messages(host, 'assistant')[0]!;
};

describe('withMessageOptions', () => {
  test('assistant replies are rendered as markdown; user messages stay plain text', () => {
    const host = newHost();
    chat = createAiChat()
      .withAdapter(manualAdapter().adapter)
      .withInitialConversation([
        { role: 'user', message: '**not bold**' },
        { role: 'assistant', message: '**bold**' },
      ])
      .mount(host);
    expect($(messages(host, 'user')[0]!, '.cw-content').querySelector('strong')).toBeNull();
    expect($(messages(host, 'assistant')[0]!, 'strong').textContent).toBe('bold');
  });

  test("markdownLinkTarget: links open in a new tab by default, in the same tab with 'self'", () => {
    expect($(reply('[docs](https://example.com)'), 'a').getAttribute('target')).toBe('_blank');
    expect(
      $(reply('[docs](https://example.com)', { markdownLinkTarget: 'self' }), 'a').hasAttribute('target'),
    ).toBe(false);
  });

  test('showCodeBlockCopyButton: a Copy button by default, none when false', () => {
    const code = '```\nnpm i chatwire\n```';
    expect($(reply(code), '.cw-code button')).not.toBeNull();
    expect($(reply(code, { showCodeBlockCopyButton: false }), '.cw-code button')).toBeNull();
  });

  test('syntaxHighlighter gets the code and language, and its HTML is shown', () => {
    const syntaxHighlighter = vi.fn((code: string, _language: string) => `<span class="kw">${code}</span>`);
    const message = reply('```js\nlet x\n```', { syntaxHighlighter, htmlSanitizer: (html) => html });
    // CommonMark keeps the code's final newline; the highlighter gets the code as the renderer holds it.
    expect(syntaxHighlighter.mock.calls.map(([code, language]) => [code.trimEnd(), language])).toEqual([
      ['let x', 'js'],
    ]);
    expect($(message, 'code .kw').textContent!.trimEnd()).toBe('let x');
  });

  test('htmlSanitizer sees raw HTML from the model, and only what it returns reaches the page', () => {
    const htmlSanitizer = vi.fn((html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ''));
    const message = reply('Hi <b>there</b><script>alert(1)</script>', { htmlSanitizer });
    expect(htmlSanitizer).toHaveBeenCalled();
    expect(message.querySelector('script')).toBeNull();
    expect($(message, 'b').textContent).toBe('there');
  });

  test('updateProps re-renders finished replies with the new message options', () => {
    const message = reply('[docs](https://example.com)');
    chat!.updateProps({ messageOptions: { markdownLinkTarget: 'self' } });
    expect(message.querySelectorAll('a')).toHaveLength(1);
    expect($(message, 'a').hasAttribute('target')).toBe(false);
  });
});
