// The visitor's key lives in one closure variable (and, only if they ask, in sessionStorage). It is
// handed to the adapter as a function, so it is never copied into the DOM, the URL or a log.
const { createAiChat, createUnsafeChatAdapter } = window.Chatwire;

const STORAGE_KEY = 'chatwire-byok';
const form = document.getElementById('key-form');
const keyInput = document.getElementById('api-key');
const showKey = document.getElementById('show-key');
const baseUrlInput = document.getElementById('base-url');
const remember = document.getElementById('remember');
const session = document.getElementById('session');
const status = document.getElementById('session-status');
const formError = document.getElementById('form-error');
const keyRejected = document.getElementById('key-rejected');

// The API address is only ever what the visitor types: a page that read it from its own URL would let a
// crafted link send the pasted key to any server.

let apiKey = '';
let chat;

/**
 * Why `key` cannot be an API key, in words for a person, or '' when it can. Keys are printable ASCII with
 * no spaces; anything else (a space from copying, a curly quote, an ellipsis) would only fail later, as an
 * unreadable error from fetch. The message never repeats the key.
 */
function keyProblem(key) {
  if (key === '') return 'Paste your OpenAI API key: the field is empty or only spaces.';
  if (/\s/.test(key))
    return 'That key has a space or line break in it. Copy it again from your OpenAI dashboard.';
  if (!/^[\x21-\x7e]+$/.test(key))
    return 'That key has a character an API key never contains (such as “ ” or …). Copy it again from your OpenAI dashboard.';
  return '';
}

/** Why `text` cannot be the API base URL, or '' when it can. */
function baseUrlProblem(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return 'The API base URL must be a full web address, such as https://api.openai.com/v1.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'The API base URL must start with https:// (or http:// for a server on your own machine).';
  return '';
}

function refuse(message, field) {
  formError.textContent = message;
  field.setAttribute('aria-invalid', 'true');
  field.focus();
}

function start(key, baseUrl, remembered) {
  const adapter = createUnsafeChatAdapter()
    .withApiKey(() => apiKey)
    .withBaseUrl(baseUrl);
  apiKey = key;
  formError.textContent = '';
  keyRejected.hidden = true;
  // Shown before mounting, so autoFocus can focus the composer (a hidden element cannot take focus).
  form.hidden = true;
  session.hidden = false;
  chat = createAiChat()
    .withAdapter(adapter)
    .withPersonaOptions({
      assistant: { name: 'OpenAI', tagline: `Straight from your browser to ${baseUrl}` },
    })
    .withComposerOptions({ placeholder: 'Ask anything…', autoFocus: true })
    .withDisplayOptions({ colorScheme: 'auto' })
    .on('error', ({ code }) => {
      if (code === 'invalid-api-key') keyRejected.hidden = false;
    })
    .mount(document.getElementById('chat'));
  status.textContent = remembered
    ? 'Your key is in sessionStorage until this tab closes.'
    : 'Your key is in this tab’s memory only.';
  // The composer is where the visitor goes next: bring the chat's bottom edge on screen.
  session.scrollIntoView({ block: 'end' });
}

function forget() {
  chat?.unmount();
  chat = undefined;
  apiKey = '';
  sessionStorage.removeItem(STORAGE_KEY);
  session.hidden = true;
  keyRejected.hidden = true;
  form.hidden = false;
  keyInput.focus();
}

showKey.addEventListener('click', () => {
  const shown = keyInput.type === 'password';
  keyInput.type = shown ? 'text' : 'password';
  showKey.setAttribute('aria-pressed', String(shown));
});

for (const field of [keyInput, baseUrlInput])
  field.addEventListener('input', () => field.removeAttribute('aria-invalid'));

form.addEventListener('submit', (event) => {
  event.preventDefault();
  // Spaces around a pasted key are a copying accident; inside it, they mean it is not the key.
  const key = keyInput.value.trim();
  const baseUrl = baseUrlInput.value.trim();
  const problem = keyProblem(key);
  if (problem) return refuse(problem, keyInput);
  const urlProblem = baseUrlProblem(baseUrl);
  if (urlProblem) return refuse(urlProblem, baseUrlInput);
  start(key, baseUrl, remember.checked);
  // Out of the field at once: the key should not sit in the page once it has been taken.
  keyInput.value = '';
  keyInput.type = 'password';
  showKey.setAttribute('aria-pressed', 'false');
  if (remember.checked) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ key, baseUrl }));
});

document.getElementById('forget').addEventListener('click', forget);
document.getElementById('change-key').addEventListener('click', forget);

function resume() {
  try {
    const { key, baseUrl } = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') ?? {};
    if (key && baseUrl && !keyProblem(key) && !baseUrlProblem(baseUrl)) {
      baseUrlInput.value = baseUrl;
      start(key, baseUrl, true);
      return;
    }
  } catch {
    // Not ours or damaged: drop it and ask again.
  }
  sessionStorage.removeItem(STORAGE_KEY);
}

resume();
