import type { ChatItem } from '../../core/types';

/** The default `maxHistoryBytes`: 48 KiB of history leaves 16 KiB of a 64 KiB request body for the rest. */
export const DEFAULT_MAX_HISTORY_BYTES = 48 * 1024;

// What one message costs in a request body besides its escaped text: `{"role":"assistant","content":},`
// on Chat Completions, a little more as a Responses input item.
const PER_MESSAGE_BYTES = 64;

/** UTF-8 length of `text`: a lone surrogate counts as the 3 bytes of U+FFFD, as `fetch` sends it. */
export const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** What `item` adds to a request body: its JSON-escaped text (quotes, newlines…) in UTF-8, and framing. */
export const itemBytes = (item: Pick<ChatItem, 'message'>): number =>
  utf8Length(JSON.stringify(item.message)) + PER_MESSAGE_BYTES;

/**
 * The history to send before `message`: the newest `past` items that fit both limits, oldest first, with
 * every system item kept wherever it stood. The limits: at most `count` past non-system messages (`'max'`
 * for all) and at most `bytes`, the new message included (see `maxHistoryBytes`). A newest item too big
 * on its own leaves out everything older: the model gets a recent, contiguous history or none, never a
 * gap.
 */
export function selectHistory(
  past: readonly ChatItem[],
  message: string,
  count: number | 'max',
  bytes: number,
): ChatItem[] {
  let budget = bytes - itemBytes({ message });
  for (const item of past) if (item.role === 'system') budget -= itemBytes(item);
  let left = count === 'max' ? Infinity : count;
  let start = past.length;
  while (start && left) {
    const item = past[start - 1]!;
    if (item.role !== 'system') {
      budget -= itemBytes(item);
      if (budget < 0) break;
      left--;
    }
    start--;
  }
  return past.filter((item, index) => index >= start || item.role === 'system');
}
