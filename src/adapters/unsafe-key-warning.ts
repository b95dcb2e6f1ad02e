let warned = false;

/**
 * Warns once per page that a key in front-end code is public, unless the page is a local
 * development page. Outside a browser (no `location`) there is no page and nothing to warn about.
 */
export function warnIfKeyIsPublic(): void {
  const location = (globalThis as { location?: Location }).location;
  if (warned || !location || location.protocol === 'file:') return;
  if (/^(localhost|127\.0\.0\.1|\[::1\]|.+\.localhost)$/.test(location.hostname)) return;
  warned = true;
  console.warn(
    'chatwire: every visitor of this page can read your OpenAI API key. Keep it on your server with ' +
      'createChatAdapter().withUrl(url) + createOpenAiProxy().',
  );
}
