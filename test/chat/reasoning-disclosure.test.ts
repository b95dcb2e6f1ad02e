// @vitest-environment happy-dom
import axe from 'axe-core';
import { describe, expect, test, vi } from 'vitest';
import { createReasoningView, reasoningStrings } from '../../src/chat/view/reasoning';
import { newHost } from './helpers';

const parts = (host: HTMLElement) => ({
  button: host.querySelector('button')!,
  panel: host.querySelector('.cw-reasoning-panel') as HTMLElement,
});

describe('the reasoning disclosure', () => {
  test('says "Thinking…" while the summary streams, collapsed, behind a real button that controls the panel', () => {
    const host = newHost();
    const view = createReasoningView();
    host.append(view.element);
    view.append('Weighing **two** options');
    const { button, panel } = parts(host);
    expect(button.type).toBe('button');
    expect(button.textContent).toBe('Thinking…');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-controls')).toBe(panel.id);
    expect(host.querySelector(`#${panel.id}`)).toBe(panel);
    expect(panel.hidden).toBe(true);
  });

  test('the button opens and closes the panel and says so in aria-expanded', () => {
    const host = newHost();
    const view = createReasoningView();
    host.append(view.element);
    const { button, panel } = parts(host);
    button.click();
    expect([button.getAttribute('aria-expanded'), panel.hidden]).toEqual(['true', false]);
    button.click();
    expect([button.getAttribute('aria-expanded'), panel.hidden]).toEqual(['false', true]);
  });

  // The renderer may rebuild the paragraph still open at the end (CommonMark lets later text change it);
  // closed blocks it never touches again (test/markdown/append-only.test.ts).
  test('renders the summary as markdown, as it streams', () => {
    const host = newHost();
    const view = createReasoningView();
    host.append(view.element);
    const { panel } = parts(host);
    view.append('First I **che');
    expect(panel.textContent).toContain('First I');
    view.append('ck** the date.\n\nThen `the list`:\n\n- one\n- two');
    view.finish(2000);
    expect(panel.querySelector('p')?.textContent).toBe('First I check the date.');
    expect(panel.querySelector('strong')?.textContent).toBe('check');
    expect(panel.querySelector('code')?.textContent).toBe('the list');
    expect([...panel.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['one', 'two']);
  });

  test('model text is never parsed as HTML', () => {
    const host = newHost();
    const view = createReasoningView();
    host.append(view.element);
    view.append('<img src=x onerror="globalThis.pwned=1"> and [x](javascript:alert(1))');
    view.finish(1000);
    expect(host.querySelector('img')).toBeNull();
    expect(host.querySelector('a')).toBeNull();
    expect(parts(host).panel.textContent).toContain('<img src=x');
  });

  test('finish(ms) relabels it "Thought for N s" in whole seconds, at least 1, and stays collapsed', () => {
    const host = newHost();
    const view = createReasoningView();
    host.append(view.element);
    view.append('thinking');
    view.finish(4400);
    const { button, panel } = parts(host);
    expect(button.textContent).toBe('Thought for 4 s');
    expect(panel.hidden).toBe(true);
    expect(view.element.dataset.state).toBe('done');

    const quick = createReasoningView();
    quick.finish(200);
    expect(quick.element.querySelector('button')!.textContent).toBe('Thought for 1 s');
  });

  test('without a time, finish counts the time since the view was made', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const view = createReasoningView();
      vi.setSystemTime(Date.now() + 6_400);
      view.finish();
      expect(view.element.querySelector('button')!.textContent).toBe('Thought for 6 s');
    } finally {
      vi.useRealTimers();
    }
  });

  test('a panel the reader opened stays open when reasoning ends; nothing is appended after finish', () => {
    const host = newHost();
    const view = createReasoningView();
    host.append(view.element);
    const { button, panel } = parts(host);
    view.append('step one');
    button.click();
    view.finish(3000);
    view.append(' late');
    expect(panel.hidden).toBe(false);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(panel.textContent).toBe('step one');
  });

  test('its words come from the strings given', () => {
    const view = createReasoningView({
      strings: { thinking: 'Réflexion…', thoughtFor: (s) => `Réfléchi ${s} s` },
    });
    const button = view.element.querySelector('button')!;
    expect(button.textContent).toBe('Réflexion…');
    view.finish(7000);
    expect(button.textContent).toBe('Réfléchi 7 s');
    expect(reasoningStrings.thoughtFor(7)).toBe('Thought for 7 s');
  });

  test('the summary follows the markdown options (no Copy button when turned off)', () => {
    const on = createReasoningView();
    on.append('```js\nlet a\n```\n');
    const off = createReasoningView({ markdown: { showCodeBlockCopyButton: false } });
    off.append('```js\nlet a\n```\n');
    expect(on.element.querySelector('.cw-code-copy')).not.toBeNull();
    expect(off.element.querySelector('.cw-code-copy')).toBeNull();
  });

  test('two disclosures on one page control their own panels', () => {
    const host = newHost();
    const a = createReasoningView();
    const b = createReasoningView();
    host.append(a.element, b.element);
    const ids = [a, b].map((v) => v.element.querySelector('button')!.getAttribute('aria-controls'));
    expect(new Set(ids).size).toBe(2);
  });

  test('axe finds nothing, closed and open', async () => {
    const host = newHost();
    const view = createReasoningView();
    host.append(view.element);
    view.append('Considering the **question**.');
    const audit = async () =>
      (await axe.run(host, { rules: { 'color-contrast': { enabled: false } } })).violations.map((v) => v.id);
    expect(await audit()).toEqual([]);
    view.element.querySelector('button')!.click();
    view.finish(2000);
    expect(await audit()).toEqual([]);
  });
});
