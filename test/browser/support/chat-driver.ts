// Drives a chat the way a person does: through the roles and names DESIGN.md promises
// (role="log", data-role on messages, a named textarea, a "Send"/"Stop" button). Playwright's CSS and
// role locators pierce open shadow roots, so the same driver works for <ai-chat> and Lit.
import type { Locator, Page } from 'playwright-core';

/** Handles on one chat in a page. */
export interface ChatDriver {
  log: Locator;
  composer: Locator;
  send: Locator;
  stop: Locator;
  retry: Locator;
  /** Every assistant message, oldest first. */
  assistant: Locator;
  /** Types `text`, presses Send and returns the assistant message that answers it. */
  ask(text: string): Promise<Locator>;
  /** Waits until no reply is streaming (the button reads "Send" again). */
  idle(timeout?: number): Promise<void>;
}

/** The chat in `page` (each example has exactly one). */
export function chatIn(page: Page): ChatDriver {
  const assistant = page.locator('[data-role="assistant"]');
  const composer = page.locator('textarea');
  const send = page.getByRole('button', { name: 'Send', exact: true });
  return {
    log: page.getByRole('log'),
    composer,
    send,
    stop: page.getByRole('button', { name: 'Stop', exact: true }),
    retry: page.getByRole('button', { name: /retry/i }),
    assistant,
    async ask(text) {
      const before = await assistant.count();
      await composer.fill(text);
      await send.click({ timeout: 10_000 });
      const reply = assistant.nth(before);
      await reply.waitFor();
      return reply;
    },
    async idle(timeout = 15_000) {
      await send.waitFor({ timeout });
    },
  };
}

/** The text inside `locator` ('' if it has none). */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}
