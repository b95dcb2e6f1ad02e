// Registers <ai-chat>; elements already in the page upgrade as soon as this runs.
window.Chatwire.defineAiChatElement();
