// @vitest-environment happy-dom
// Every word the chat shows or announces comes from its strings table: with a complete second language,
// no English is left anywhere in the DOM, text or attributes.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { englishStrings } from '../../src/chat/view/strings';
import { ChatError } from '../../src/core/errors';
import { germanStrings } from './german-strings';
import { $, $$, manualAdapter, newHost, press } from './helpers';

let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

// Attributes a program reads, not a person: their values are not UI text.
const MACHINE =
  /^(class|id|role|type|tabindex|rows|href|rel|target|lang|dir|start|hidden|disabled|style|enterkeyhint|inputmode|autocomplete|data-.*|aria-(live|busy|hidden|expanded|pressed|controls|labelledby|describedby|atomic|relevant|haspopup|current))$/;

/** Every piece of text a person can see or hear in `root`: text nodes and human-facing attributes. */
function humanText(root: Element): string[] {
  const found: string[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) found.push(node.textContent ?? '');
    else
      for (const attr of (node as Element).attributes) if (!MACHINE.test(attr.name)) found.push(attr.value);
    if (node instanceof HTMLTextAreaElement) found.push(node.placeholder);
  }
  return found.filter((t) => t.trim());
}

// The English words of the default table (placeholders and short words such as "s" left out).
const englishWords = new Set(
  Object.values(englishStrings)
    .flatMap((s) => s.replace(/\{\w+\}/g, '').split(/[^\p{L}']+/u))
    .filter((w) => w.length > 2)
    .map((w) => w.toLowerCase()),
);
// Words both languages write the same way.
for (const shared of ['api', 'server', 'code']) englishWords.delete(shared);

const englishIn = (texts: string[]) =>
  texts.flatMap((t) => t.split(/[^\p{L}']+/u)).filter((w) => englishWords.has(w.toLowerCase()));

describe('withStrings', () => {
  test('the detector works: the default chat is full of English', () => {
    const host = newHost();
    chat = createAiChat().withAdapter(manualAdapter().adapter).mount(host);
    chat.sendMessage('hallo');
    expect(englishIn(humanText(host))).toEqual(expect.arrayContaining(['Stop', 'Conversation', 'Edit']));
  });

  test('a complete second language leaves no English in the DOM, attributes included', async () => {
    vi.useFakeTimers();
    try {
      const host = newHost();
      const { adapter, calls } = manualAdapter();
      chat = createAiChat()
        .withAdapter(adapter)
        .withStrings(germanStrings)
        .withMessageOptions({ actions: { feedback: true } })
        .mount(host);
      // A finished reply with every action, a stopped one, a failed one counting down, an open editor.
      chat.sendMessage('Erste Frage');
      calls[0]!.observer.next(
        'Eine **Antwort** auf Deutsch.\n\n```js\nlet x = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nZweiter Absatz.',
      );
      calls[0]!.observer.complete();
      chat.sendMessage('Zweite Frage');
      calls[1]!.observer.next('Halb');
      chat.stop();
      expect(humanText(host).join(' ')).toContain('Angehalten');
      chat.sendMessage('Dritte Frage');
      calls[2]!.observer.error(Object.assign(new ChatError('rate-limited', 'x'), { retryAfterMs: 5000 }));
      $$(host, '.cw-edit')[0]!.click();
      // The busy state, the status announcement and the Stop button, too.
      chat.sendMessage('Vierte Frage');
      const texts = humanText(host);
      expect(texts.join(' ')).toContain('Zu viele Anfragen — nochmal in 5 s');
      expect(texts).toContain('Anhalten');
      expect(texts).toContain('Deine Nachricht bearbeiten');
      expect(texts).toContain('Gute Antwort');
      expect(englishIn(texts)).toEqual([]);
      // The finished reply's announcement was German as well.
      press($(host, 'textarea'), 'Escape');
      expect(englishIn(humanText(host))).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('unknown keys and non-strings are refused with invalid-config; updateProps switches language in place', () => {
    expect(() => createAiChat().withStrings({ sned: 'x' } as never)).toThrow(/unknown option "sned"/);
    expect(() => createAiChat().withStrings({ send: 1 } as never)).toThrow(ChatError);
    const host = newHost();
    chat = createAiChat().withAdapter(manualAdapter().adapter).mount(host);
    expect($(host, '.cw-composer button').textContent).toBe('Send');
    chat.updateProps({ strings: { send: 'Senden' } });
    expect($(host, '.cw-composer button').textContent).toBe('Senden');
    expect($(host, '[role="log"]').getAttribute('aria-label')).toBe('Conversation');
  });
});
