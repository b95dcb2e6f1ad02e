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
    'chatwire: your OpenAI API key is visible to every visitor of this page. ' +
      'Keep it on a server: createChatAdapter().withUrl(url) + createOpenAiProxy().',
  );
}
