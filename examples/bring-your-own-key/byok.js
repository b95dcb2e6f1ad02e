// The visitor's key lives in one closure variable (and, only if they ask, in sessionStorage). It is
// handed to the adapter as a function, so it is never copied into the DOM, the URL or a log.
const { createAiChat, createUnsafeChatAdapter } = window.Chatwire;

const STORAGE_KEY = 'chatwire-byok';
const form = document.getElementById('key-form');
const keyInput = document.getElementById('api-key');
const baseUrlInput = document.getElementById('base-url');
const remember = document.getElementById('remember');
const session = document.getElementById('session');
const status = document.getElementById('session-status');
const formError = document.getElementById('form-error');

let apiKey = '';
let chat;

// ?baseUrl=… points the page at any OpenAI-compatible server (the tests use the offline model's /v1).
const requestedBaseUrl = new URL(location.href).searchParams.get('baseUrl');
if (requestedBaseUrl) baseUrlInput.value = new URL(requestedBaseUrl, location.origin).href;

function start(key, baseUrl, remembered) {
  let adapter;
  try {
    adapter = createUnsafeChatAdapter()
      .withApiKey(() => apiKey)
      .withBaseUrl(baseUrl);
  } catch (error) {
    // A ChatError 'invalid-config' names the bad setting; its message never contains the key.
    formError.textContent = error.message;
    return false;
  }
  apiKey = key;
  formError.textContent = '';
  chat = createAiChat()
    .withAdapter(adapter)
    .withPersonaOptions({
      assistant: { name: 'OpenAI', tagline: `Straight from your browser to ${baseUrl}` },
    })
    .withComposerOptions({ placeholder: 'Ask anything…', autoFocus: true })
    .withDisplayOptions({ colorScheme: 'auto', height: '30rem' })
    .mount(document.getElementById('chat'));
  status.textContent = remembered
    ? 'Your key is in sessionStorage until this tab closes.'
    : 'Your key is in this tab’s memory only.';
  form.hidden = true;
  session.hidden = false;
  return true;
}

function forget() {
  chat?.unmount();
  chat = undefined;
  apiKey = '';
  sessionStorage.removeItem(STORAGE_KEY);
  session.hidden = true;
  form.hidden = false;
  keyInput.focus();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  const baseUrl = baseUrlInput.value.trim();
  if (!key || !baseUrl) return;
  if (!start(key, baseUrl, remember.checked)) return;
  // Out of the field at once: the key should not sit in the page once it has been taken.
  keyInput.value = '';
  if (remember.checked) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ key, baseUrl }));
});

document.getElementById('forget').addEventListener('click', forget);

function resume() {
  try {
    const { key, baseUrl } = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') ?? {};
    if (key && baseUrl && start(key, baseUrl, true)) return;
  } catch {
    // Not ours or damaged: drop it and ask again.
  }
  sessionStorage.removeItem(STORAGE_KEY);
}

resume();
