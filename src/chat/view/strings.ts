// Every word the chat shows or announces, in one table a page can translate with `withStrings()`.
import type { MarkdownStrings } from '../markdown';

// Placeholders in braces (`{seconds}`, `{name}`) are filled in by `fill`.

/** The chat's UI text. Override any part with `createAiChat().withStrings({...})`; English by default. */
export interface ChatStrings {
  /** The composer's button while idle. */
  send: string;
  /** The composer's button while a reply streams. */
  stop: string;
  /** The text box's accessible name when no placeholder is set. */
  messageLabel: string;
  /** The message list's accessible name. */
  conversationLabel: string;
  /** The default names of the two sides (a persona's `name` wins). */
  userName: string;
  assistantName: string;
  /** Each message's accessible name; `{name}` is who said it. */
  messageFrom: string;
  /** The status announcement of a finished reply; `{name}` and `{text}`. */
  replyAnnouncement: string;
  /** Shown (and announced) under a reply the reader stopped. */
  stopped: string;
  /** Offered under a stopped reply. */
  continue: string;
  regenerate: string;
  /** Offered under a failed reply. */
  retry: string;
  /** Message actions. */
  copy: string;
  copied: string;
  edit: string;
  /** The accessible name of the text box that edits a sent message. */
  editLabel: string;
  save: string;
  cancel: string;
  goodReply: string;
  badReply: string;
  /** Shown when the reader has scrolled up while a reply streams. */
  jumpToLatest: string;
  /** The reasoning disclosure while the summary streams, and once it is done (`{seconds}`). */
  thinking: string;
  thoughtFor: string;
  /** The heading of a reply's list of sources. */
  sources: string;
  /** The code block's Copy button and its accessible name. */
  copyCode: string;
  copyCodeLabel: string;
  /** Shown when copying was refused and the code is selected instead; `{shortcut}` is ⌘C or Ctrl+C. */
  copyFallback: string;
  /** Names a code block's scrollable box; `{language}` is the fence's language (dropped when none). */
  codeLabel: string;
  /** Names a table's scrollable box. */
  tableLabel: string;
  // What the reader sees for a failed reply, chosen by the error's code (never the error's own message).
  errorInvalidConfig: string;
  errorMissingApiKey: string;
  errorInvalidApiKey: string;
  errorPermissionDenied: string;
  errorNotFound: string;
  errorBadRequest: string;
  /** A 413: the history outgrew what the server accepts. */
  errorTooLong: string;
  errorQuotaExceeded: string;
  /** `{seconds}` counts down; Retry is enabled when it reaches zero. */
  errorRateLimitedIn: string;
  errorRateLimited: string;
  errorServer: string;
  /** The proxy's own key was refused upstream (`serverCode: 'upstream_auth_failed'`). */
  errorUpstreamAuth: string;
  errorConnection: string;
  errorTimeout: string;
  errorStream: string;
  errorInvalidResponse: string;
  errorStorage: string;
  errorUnknown: string;
}

/** The English table every chat starts from. */
export const englishStrings: ChatStrings = {
  send: 'Send',
  stop: 'Stop',
  messageLabel: 'Message',
  conversationLabel: 'Conversation',
  userName: 'You',
  assistantName: 'Assistant',
  messageFrom: '{name}',
  replyAnnouncement: '{name}: {text}',
  stopped: 'Stopped',
  continue: 'Continue',
  regenerate: 'Regenerate',
  retry: 'Retry',
  copy: 'Copy',
  copied: 'Copied',
  edit: 'Edit',
  editLabel: 'Edit your message',
  save: 'Save and send',
  cancel: 'Cancel',
  goodReply: 'Good reply',
  badReply: 'Bad reply',
  jumpToLatest: 'Jump to latest',
  thinking: 'Thinking…',
  thoughtFor: 'Thought for {seconds} s',
  sources: 'Sources',
  copyCode: 'Copy',
  copyCodeLabel: 'Copy code',
  copyFallback: 'Press {shortcut}',
  codeLabel: 'Code: {language}',
  tableLabel: 'Table',
  errorInvalidConfig: 'The chat is not set up correctly',
  errorMissingApiKey: 'No API key is set',
  errorInvalidApiKey: 'The API key was rejected',
  errorPermissionDenied: 'Access to this model was denied',
  errorNotFound: 'The model or endpoint was not found',
  errorBadRequest: 'The request was refused',
  errorTooLong: 'The conversation is too long for the server — start a new one',
  errorQuotaExceeded:
    'The usage quota is used up — check the plan and billing of the account, then send again',
  errorRateLimitedIn: 'Rate limited — try again in {seconds} s',
  errorRateLimited: 'Rate limited — try again in a moment',
  errorServer: 'The server had a problem — try again',
  errorUpstreamAuth: "The server's API key was refused",
  errorConnection: 'Connection lost',
  errorTimeout: 'The reply took too long',
  errorStream: 'The reply was interrupted',
  errorInvalidResponse: 'The reply could not be read',
  errorStorage: 'The conversation could not be saved',
  errorUnknown: 'Something went wrong',
};

/** The markdown renderer's share of the table. */
export const markdownStringsOf = (strings: ChatStrings): MarkdownStrings => ({
  copy: strings.copyCode,
  copyLabel: strings.copyCodeLabel,
  copied: strings.copied,
  copyFallback: strings.copyFallback,
  codeLabel: strings.codeLabel,
  tableLabel: strings.tableLabel,
});

/** Fills `{key}` placeholders from `values`; an unknown placeholder is left as written. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
