// @vitest-environment happy-dom
// The `mathRenderer` message option reaches the markdown renderer through the chat, and a value that
// is not a function is refused where it is given.
import { afterEach, describe, expect, test } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { $, manualAdapter, messages, newHost } from './helpers';

let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

describe('withMessageOptions({ mathRenderer })', () => {
  test('renders a reply’s math with the given function, and shows it as code without one', () => {
    const mount = (mathRenderer?: (tex: string, options: { display: boolean }) => Node) => {
      const host = newHost();
      chat?.unmount();
      chat = createAiChat()
        .withAdapter(manualAdapter().adapter)
        .withMessageOptions(mathRenderer ? { mathRenderer } : {})
        .withInitialConversation([{ role: 'assistant', message: 'Euler: $e^{i\\pi}+1=0$' }])
        .mount(host);
      return messages(host, 'assistant')[0]!;
    };
    const rendered = mount((tex, { display }) => {
      const node = document.createElement('var');
      node.textContent = `${display ? 'display' : 'inline'}:${tex}`;
      return node;
    });
    expect($(rendered, 'var').textContent).toBe('inline:e^{i\\pi}+1=0');
    expect($(mount(), 'code.cw-math').textContent).toBe('e^{i\\pi}+1=0');
  });

  test('refuses a value that is not a function with invalid-config', () => {
    expect(() => createAiChat().withMessageOptions({ mathRenderer: 'katex' as never })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  });
});
