// @vitest-environment happy-dom
import axe from 'axe-core';
import { afterEach, describe, expect, test } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { ChatError } from '../../src/core/errors';
import { $, $$, manualAdapter, newHost } from './helpers';

let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

// happy-dom does no layout, so axe cannot judge colour contrast here; theme-contrast.test.ts computes it.
const audit = async (root: Element) => {
  const result = await axe.run(root, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

describe('accessibility', () => {
  test('the audit works here: it catches an unnamed button', async () => {
    const probe = newHost();
    probe.append(document.createElement('button'));
    expect((await audit(probe)).join()).toContain('button-name');
  });

  test('axe finds no violations on the welcome screen, mid-stream, and with a failed reply', async () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    chat = createAiChat()
      .withAdapter(adapter)
      .withPersonaOptions({ assistant: { name: 'Ada', avatar: 'https://example.com/a.png', tagline: 'Hi' } })
      .withConversationOptions({ conversationStarters: [{ prompt: 'Start' }] })
      .mount(host);
    expect(await audit(host)).toEqual([]);
    chat.sendMessage('Tell me about **markdown**');
    calls[0]!.observer.next('Here is `code` and a [link](https://example.com)\n\n```js\nlet x = 1\n```\n');
    expect(await audit(host)).toEqual([]);
    calls[0]!.observer.error(new ChatError('timeout', 'idle'));
    expect(await audit(host)).toEqual([]);
  });

  test('every button has an accessible name and is a real <button type=button>', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    chat = createAiChat()
      .withAdapter(adapter)
      .withConversationOptions({ conversationStarters: [{ prompt: 'Start' }] })
      .mount(host);
    chat.sendMessage('q');
    calls[0]!.observer.error(new ChatError('server-error', '500'));
    const buttons = $$(host, 'button') as HTMLButtonElement[];
    expect(buttons.map((b) => b.textContent)).toEqual(['Start', 'Edit', 'Retry', 'Jump to latest', 'Send']);
    for (const button of buttons) expect(button.type).toBe('button');
  });

  test('the log can be reached and scrolled from the keyboard', () => {
    const host = newHost();
    chat = createAiChat().withAdapter(manualAdapter().adapter).mount(host);
    const log = $(host, '[role="log"]');
    expect(log.tabIndex).toBe(0);
    expect(log.getAttribute('aria-label')).toBe('Conversation');
  });
});
