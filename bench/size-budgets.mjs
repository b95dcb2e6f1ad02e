// The gzip budgets a page's bundle must stay within: `npm test` fails past any of them
// (test/package/bundles-stay-within-their-budgets.test.ts) and the size benches print them. An issue that
// adds features states its new budget here. Each entry assigns what it imports to a global, so
// tree-shaking keeps exactly that and drops the rest.

/** @type {{ name: string, code: string, gzip: number }[]} */
export const SIZE_BUDGETS = [
  {
    name: 'createUnsafeChatAdapter alone (the chat UI tree-shakes away)',
    code: "import { createUnsafeChatAdapter } from 'chatwire'; globalThis.x = createUnsafeChatAdapter;",
    gzip: 5.5 * 1024,
  },
  {
    name: 'createAiChat + createUnsafeChatAdapter (theme and markdown included)',
    code: "import { createAiChat, createUnsafeChatAdapter } from 'chatwire'; globalThis.x = [createAiChat, createUnsafeChatAdapter];",
    gzip: 16 * 1024,
  },
];
