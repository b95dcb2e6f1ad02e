/**
 * The default theme's colours. Every pair the chat draws text or a control boundary with meets WCAG AA
 * (4.5:1 for text, 3:1 for borders and focus rings); `test/chat/theme-contrast.test.ts` computes them.
 * Each entry becomes `--chatwire-<name>`, which a page can set to override it.
 */
export const palettes = {
  light: {
    bg: '#ffffff',
    fg: '#1f2328',
    muted: '#59636e',
    border: '#818b98',
    accent: '#0969da',
    'accent-fg': '#ffffff',
    'user-bg': '#0969da',
    'user-fg': '#ffffff',
    'assistant-bg': '#f3f5f7',
    'assistant-fg': '#1f2328',
    error: '#b42318',
    focus: '#0969da',
    'code-bg': '#e8ebef',
  },
  dark: {
    bg: '#0d1117',
    fg: '#e6edf3',
    muted: '#9198a1',
    border: '#768390',
    accent: '#4493f8',
    'accent-fg': '#0d1117',
    'user-bg': '#1f6feb',
    'user-fg': '#ffffff',
    'assistant-bg': '#161b22',
    'assistant-fg': '#e6edf3',
    error: '#ff7b72',
    focus: '#4493f8',
    'code-bg': '#1f2630',
  },
} as const;

export type PaletteToken = keyof (typeof palettes)['light'];
