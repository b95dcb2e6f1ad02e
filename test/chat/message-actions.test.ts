// @vitest-environment happy-dom
// The buttons under messages: copy (the markdown source, "Copied"), regenerate (the last reply), edit
// (in place, by keyboard), feedback (an event, nothing stored); each can be switched off.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { $, $$, body, manualAdapter, messages, newHost, press } from './helpers';

let chat: AiChat | undefined;
afterEach(() => {
  chat?.unmount();
  vi.restoreAllMocks();
});

function answered(options: Parameters<ReturnType<typeof createAiChat>['withMessageOptions']>[0] = {}) {
  const host = newHost();
  const { adapter, calls } = manualAdapter();
  const feedback = vi.fn();
  const sent = vi.fn();
  chat = createAiChat()
    .withAdapter(adapter)
    .withMessageOptions(options)
    .on('feedback', feedback)
    .on('messageSent', sent)
    .mount(host);
  chat.sendMessage('first');
  calls[0]!.observer.next('**one**');
  calls[0]!.observer.complete();
  chat.sendMessage('second');
  calls[1]!.observer.next('two');
  calls[1]!.observer.complete();
  return { host, calls, feedback, sent };
}

const actionNames = (message: Element) =>
  [...message.querySelectorAll('.cw-actions button')].map(
    (b) => b.getAttribute('aria-label') ?? b.textContent,
  );

describe('message actions', () => {
  test('by default: Copy and Regenerate on replies, Edit on the reader’s messages, no feedback', () => {
    const { host } = answered();
    expect(actionNames(messages(host, 'assistant')[1]!)).toEqual(['Copy', 'Regenerate']);
    expect(actionNames(messages(host, 'user')[0]!)).toEqual(['Edit']);
  });

  test('Copy puts the reply’s markdown source on the clipboard and shows "Copied"', async () => {
    const { host } = answered();
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void written.push(text) },
    });
    const copy = $<HTMLButtonElement>(messages(host, 'assistant')[0]!, '.cw-copy');
    copy.click();
    await Promise.resolve();
    await Promise.resolve();
    expect(written).toEqual(['**one**']);
    expect(copy.textContent).toBe('Copied');
  });

  test('Regenerate is offered on the last reply only, and asks again with the same history', () => {
    const { host, calls } = answered();
    const [older, last] = messages(host, 'assistant');
    // Only the last reply's Regenerate is visible (the theme hides the others'); the model enforces it too.
    expect(older!.matches('.cw-log>.cw-msg:not(:last-child)')).toBe(true);
    $<HTMLButtonElement>(last!, '.cw-regenerate').click();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.message).toBe('second');
    expect(calls[2]!.extras.conversationHistory).toEqual(calls[1]!.extras.conversationHistory);
    expect(messages(host, 'assistant')).toHaveLength(2);
    calls[2]!.observer.next('two again');
    calls[2]!.observer.complete();
    expect(body(messages(host, 'assistant')[1])).toBe('two again');
  });

  test('Edit opens a labelled text box in place; Enter saves, drops what followed and asks again', () => {
    const { host, calls, sent } = answered();
    const first = messages(host, 'user')[0]!;
    $<HTMLButtonElement>(first, '.cw-edit').click();
    const editor = $<HTMLTextAreaElement>(first, '.cw-edit-input');
    expect(document.activeElement).toBe(editor);
    expect(editor.getAttribute('aria-label')).toBe('Edit your message');
    expect(editor.value).toBe('first');
    editor.value = 'first, edited';
    press(editor, 'Enter');
    expect(calls).toHaveLength(3);
    expect(calls[2]!.message).toBe('first, edited');
    expect(calls[2]!.extras.conversationHistory).toEqual([]);
    expect(messages(host, 'user').map(body)).toEqual(['first, edited']);
    expect(messages(host, 'assistant')).toHaveLength(1);
    expect(sent).toHaveBeenLastCalledWith(expect.objectContaining({ message: 'first, edited' }));
  });

  test('Escape in the editor cancels: the text is unchanged and focus returns to Edit', () => {
    const { host, calls } = answered();
    const first = messages(host, 'user')[0]!;
    const edit = $<HTMLButtonElement>(first, '.cw-edit');
    edit.click();
    const editor = $<HTMLTextAreaElement>(first, '.cw-edit-input');
    editor.value = 'changed';
    press(editor, 'Escape');
    expect(first.querySelector('.cw-edit-input')).toBeNull();
    expect(body(first)).toBe('first');
    expect(document.activeElement).toBe(edit);
    expect(calls).toHaveLength(2);
  });

  test('feedback: thumbs up/down emit the reply’s id; pressed state shown; nothing else changes', () => {
    const { host, feedback } = answered({ actions: { feedback: true } });
    const reply = messages(host, 'assistant')[0]!;
    const [up, down] = $$(reply, '.cw-feedback');
    expect(up!.getAttribute('aria-label')).toBe('Good reply');
    up!.click();
    expect(feedback).toHaveBeenCalledWith({ uid: reply.dataset.uid, value: 'up' });
    expect(up!.getAttribute('aria-pressed')).toBe('true');
    down!.click();
    expect(feedback).toHaveBeenLastCalledWith({ uid: reply.dataset.uid, value: 'down' });
    expect(up!.getAttribute('aria-pressed')).toBe('false');
    expect(chat!.getConversation()).toHaveLength(4);
  });

  test('each action can be switched off', () => {
    const { host } = answered({ actions: { copy: false, regenerate: false, edit: false } });
    expect(actionNames(messages(host, 'assistant')[1]!)).toEqual([]);
    expect(actionNames(messages(host, 'user')[0]!)).toEqual([]);
    expect(() => createAiChat().withMessageOptions({ actions: { share: true } as never })).toThrow(/share/);
  });

  test('a stopped reply says "Stopped" and offers Continue and Regenerate', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    chat = createAiChat().withAdapter(adapter).mount(host);
    chat.sendMessage('q');
    calls[0]!.observer.next('half');
    chat.stop();
    const reply = messages(host, 'assistant')[0]!;
    expect($(reply, '.cw-note').textContent).toBe('StoppedContinueRegenerate');
    $<HTMLButtonElement>(reply, '.cw-continue').click();
    expect(calls[1]!.message).toBe('Continue');
    expect(calls[1]!.extras.conversationHistory).toEqual([
      { role: 'user', message: 'q' },
      { role: 'assistant', message: 'half' },
    ]);
  });

  test('a reply stopped before its first word still says "Stopped"; Regenerate asks again', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    chat = createAiChat().withAdapter(adapter).mount(host);
    chat.sendMessage('q');
    chat.stop();
    const reply = messages(host, 'assistant')[0]!;
    expect($(reply, '.cw-note').textContent).toBe('StoppedRegenerate');
    $<HTMLButtonElement>(reply, '.cw-regenerate').click();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.message).toBe('q');
    expect(messages(host, 'assistant')).toHaveLength(1);
    expect(messages(host, 'user')).toHaveLength(1);
  });
});
