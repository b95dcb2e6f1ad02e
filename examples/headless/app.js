// A conversation rendered by the page itself: chatwire supplies the model (messages, streaming, stop,
// retry, saved history) and the adapter; every element below is this page's own.
import { createChatAdapter, createConversation, webStorageStore } from 'chatwire/conversation';

// Chat Completions, which every version of the demo server's /api/chat speaks (drop `withApi` for the
// Responses API where your backend speaks it).
const adapter = createChatAdapter().withUrl('/api/chat').withApi('chat-completions');

const conversation = createConversation(adapter, {
  // A reload restores the latest conversation; a reply cut off by the reload comes back "stopped".
  store: webStorageStore(sessionStorage, 'headless-demo'),
});

const list = document.getElementById('messages');
const empty = document.getElementById('empty');
const status = document.getElementById('status');
const form = document.getElementById('composer');
const prompt = document.getElementById('prompt');
const send = document.getElementById('send');
const stop = document.getElementById('stop');

/** Message id → its elements, so a delta touches one text node. */
const views = new Map();

function render(message) {
  let view = views.get(message.id);
  if (!view) {
    const item = document.createElement('li');
    item.className = `message message--${message.role}`;
    item.dataset.messageId = message.id;
    const who = document.createElement('strong');
    who.textContent = message.role === 'user' ? 'You' : 'Assistant';
    // Text only: the model's words never become markup.
    const text = document.createElement('p');
    text.className = 'message-text';
    const note = document.createElement('span');
    note.className = 'message-note';
    item.append(who, text, note);
    list.append(item);
    view = { item, text, note };
    views.set(message.id, view);
  }
  view.text.textContent = message.text;
  view.item.dataset.status = message.status;
  view.note.textContent =
    message.status === 'failed'
      ? `Failed: ${message.error?.message ?? 'unknown error'}`
      : message.status === 'stopped'
        ? 'Stopped'
        : '';
  empty.hidden = true;
}

function renderAll() {
  list.textContent = '';
  views.clear();
  for (const message of conversation.messages) render(message);
  empty.hidden = conversation.messages.length > 0;
}

function setBusy(busy) {
  send.hidden = busy;
  stop.hidden = !busy;
  list.setAttribute('aria-busy', String(busy));
}

conversation.subscribe((change) => {
  switch (change.type) {
    case 'added':
    case 'delta':
    case 'completed':
      render(change.message);
      if (change.type === 'completed') status.textContent = 'Reply received.';
      break;
    case 'failed':
      render(change.message);
      status.textContent = `The reply failed (${change.error.code}).`;
      break;
    case 'removed':
      views.get(change.message.id)?.item.remove();
      views.delete(change.message.id);
      empty.hidden = conversation.messages.length > 0;
      break;
    case 'cleared':
    case 'loaded':
      renderAll();
      break;
    case 'busy':
      setBusy(change.busy);
      break;
    case 'error':
      // A storage error (a full quota, say): the conversation goes on, only saving stopped.
      status.textContent = `Saving failed: ${change.error.message}`;
      break;
  }
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = prompt.value.trim();
  if (!text) return;
  prompt.value = '';
  conversation.send(text);
});
prompt.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});
stop.addEventListener('click', () => conversation.stop());
document.getElementById('clear').addEventListener('click', () => conversation.clear());
// Saves the last words of a reply in flight when the tab goes away (the model also saves every second).
addEventListener('pagehide', () => conversation.save());

renderAll();
setBusy(conversation.busy);
