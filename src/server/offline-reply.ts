/** The offline model's default answer: a little of every markdown feature a chat renderer must handle. */
export const demoReply = `### Hello from the offline demo model

This reply comes from **chatwire's built-in demo model**: no API key and no network involved. Set \`OPENAI_API_KEY\` and restart \`npm start\` to talk to OpenAI instead.

What you are seeing:

- the proxy at \`/api/chat\` streaming *Server-Sent Events*,
- a markdown renderer styling each token as it arrives,
- a code block you can copy:

\`\`\`js
import { createAiChat, createChatAdapter } from 'chatwire';

createAiChat()
  .withAdapter(createChatAdapter().withUrl('/api/chat'))
  .mount(document.getElementById('chat'));
\`\`\`

Type \`/echo some text\` to get your words back verbatim. Why the key belongs on a server: [OpenAI's API key safety guide](https://help.openai.com/en/articles/5112595-best-practices-for-api-key-safety).`;

/** Splits prose into word-sized tokens, each carrying the whitespace before it, as a model streams them. */
export function wordTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Splits text into pieces of three characters (whole code points, so no emoji is torn in half). */
export function smallPieces(text: string): string[] {
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += 3) pieces.push(points.slice(i, i + 3).join(''));
  return pieces;
}

/**
 * The reasoning summary `/reason` streams before its answer: two parts, as OpenAI's detailed
 * summaries come, each opening with a bold title.
 */
export const reasoningSummary = [
  '**Reading the request**\n\nThe message starts with `/reason`, so the answer is the text after it, word for word.',
  '**Answering**\n\nNothing to look up or compute: I will stream that text back in small pieces.',
];

/** What the offline model will answer, worked out once and then written in either API's shape. */
export interface OfflineAnswer {
  /** The model name the request asked for, echoed back as OpenAI does. */
  model: string;
  /** Reasoning summary parts, each split into the pieces to stream; empty for no reasoning. */
  reasoning: string[][];
  /** The reply text, in the pieces to stream (one piece counts as one token). */
  pieces: string[];
  /** `'length'` when the request's token limit cut `pieces`. */
  finishReason: 'stop' | 'length';
  /** Fail the body after the last piece, with no finish (`/drop`, a first `/flaky`). */
  drop: boolean;
  /** Tokens the request would cost, estimated at four characters a token as OpenAI counts English. */
  inputTokens: number;
}
