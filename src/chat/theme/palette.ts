/**
 * The default theme's colours. Every pair the chat draws text or a control boundary with meets WCAG AA
 * (4.5:1 for text, 3:1 for borders and focus rings); `test/chat/theme-contrast.test.ts` computes them.
 * Each entry becomes `--chatwire-<kebab-name>`, which a page can set to override it.
 */
export const palettes = {
  light: {
    bg: '#ffffff',
    fg: '#1f2328',
    muted: '#59636e',
    border: '#818b98',
    accent: '#0969da',
    accentFg: '#ffffff',
    userBg: '#0969da',
    userFg: '#ffffff',
    assistantBg: '#f3f5f7',
    assistantFg: '#1f2328',
    error: '#b42318',
    focus: '#0969da',
    codeBg: '#e8ebef',
  },
  dark: {
    bg: '#0d1117',
    fg: '#e6edf3',
    muted: '#9198a1',
    border: '#768390',
    accent: '#4493f8',
    accentFg: '#0d1117',
    userBg: '#1f6feb',
    userFg: '#ffffff',
    assistantBg: '#161b22',
    assistantFg: '#e6edf3',
    error: '#ff7b72',
    focus: '#4493f8',
    codeBg: '#1f2630',
  },
} as const;

export type PaletteToken = keyof (typeof palettes)['light'];
