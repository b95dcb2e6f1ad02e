// The same code a bundled app would write: the import map in index.html resolves 'chatwire'.
import { createAiChat, createChatAdapter } from 'chatwire';

createAiChat()
  .withAdapter(createChatAdapter().withUrl('/api/chat'))
  .withPersonaOptions({ assistant: { name: 'Demo assistant', tagline: 'Streams markdown from /api/chat' } })
  .withConversationOptions({
    conversationStarters: [
      { label: 'Show some markdown', prompt: 'Show me what you can render.' },
      { label: 'Echo a line', prompt: '/echo Hello from the ESM example!' },
    ],
  })
  .withComposerOptions({ placeholder: 'Ask anything…' })
  .withDisplayOptions({ colorScheme: 'auto' })
  .mount(document.getElementById('chat'));
