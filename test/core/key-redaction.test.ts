// Key-shaped text that servers echo back is redacted before it can reach a message.
import { expect, it } from 'vitest';
import { ChatError } from '../../src/core/errors';
import { redactKey } from '../../src/core/redact-key';

it.each([
  [
    'Incorrect API key provided: sk-test-****abcd. You can find your API key at https://platform.openai.com.',
    'sk-test-****abcd',
  ],
  ['Incorrect API key provided: sk-wrong****-key. You can find it.', 'sk-wrong****-key'],
  ['Incorrect API key provided: <not-a-r****key>. You can find it.', 'not-a-r****key'],
  ['got sk-proj-AbC_123-xyz here', 'sk-proj-AbC_123-xyz'],
  ['header was Bearer abc.def.ghi', 'Bearer abc.def.ghi'],
])('redacts the key-shaped part of "%s"', (text, secret) => {
  const redacted = redactKey(text);
  expect(redacted).not.toContain(secret);
  expect(redacted).toContain('[redacted]');
  // The sentence around it stays readable.
  expect(redacted.startsWith(text.slice(0, text.indexOf(secret) - 1))).toBe(true);
});

it('redacts the exact configured key, whatever its shape', () => {
  const key = 'gsk_9f8e7d6c5b4a.$^*';
  expect(redactKey(`the key ${key} is wrong; ${key}`, key)).toBe('the key [redacted] is wrong; [redacted]');
});

it('ChatError redacts on construction: message, stack, toJSON, String()', () => {
  const error = new ChatError('invalid-api-key', 'Incorrect API key provided: sk-test-****abcd.');
  for (const text of [error.message, error.stack, JSON.stringify(error), String(error)]) {
    expect(text).not.toContain('sk-test');
    expect(text).not.toContain('****');
  }
});

it('toJSON leaves out `cause`, which may hold anything', () => {
  const error = new ChatError('connection-error', 'Connection failed', {
    cause: new Error('header Authorization: x-unmasked-secret'),
  });
  expect(error.cause).toBeInstanceOf(Error);
  expect(JSON.stringify(error)).not.toContain('unmasked');
  expect(error.toJSON()).toEqual({
    name: 'ChatError',
    code: 'connection-error',
    retryable: false,
    message: 'Connection failed',
  });
});

it('leaves ordinary text alone', () => {
  const text =
    'The model `gpt-4o` does not exist or you do not have access to it. Ask a task-specific question.';
  expect(redactKey(text)).toBe(text);
});
