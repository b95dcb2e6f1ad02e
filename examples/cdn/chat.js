// chatwire.iife.js (loaded just before this file) put the whole SDK on window.Chatwire.
const { createAiChat, createChatAdapter } = window.Chatwire;

createAiChat()
  .withAdapter(createChatAdapter().withUrl('/api/chat'))
  .withPersonaOptions({ assistant: { name: 'Demo assistant', tagline: 'Streams markdown from /api/chat' } })
  .withComposerOptions({ placeholder: 'Ask anything…' })
  .withDisplayOptions({ colorScheme: 'auto' })
  .mount(document.getElementById('chat'));
