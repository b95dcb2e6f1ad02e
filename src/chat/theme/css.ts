import { palettes } from './palette';

// Rules read `--cw-*`, which each colour scheme defines from the public `--chatwire-*` properties with
// the palette as fallback: a page overrides a colour by setting `--chatwire-*` anywhere above the chat,
// with no specificity fight against this sheet.
const vars = (scheme: keyof typeof palettes) =>
  Object.entries(palettes[scheme])
    .map(([name, value]) => `--cw-${name}:var(--chatwire-${name},${value});`)
    .join('');

// Choices a reader of the rules below would ask about:
// - table cells undo the bubble's `overflow-wrap:anywhere` (which broke "Column" into "Colu mn"): they keep
//   whole words and the `.cw-table` box scrolls sideways instead;
// - the log's focus ring is drawn inside it, because `.chatwire` clips what overflows its rounded corners;
// - the text box is border-box, so its auto-grow (scrollHeight + borders) does not count padding twice,
//   and at least 16px, below which iOS zooms the page on focus;
// - on coarse pointers every button is at least 44×44 px (WCAG 2.5.5), and on a phone-wide screen an
//   assistant reply takes the whole width (no avatar column);
// - motion (the typing dots, the "Thinking…" caret's pulse) stops under prefers-reduced-motion; only
//   shapes pulse, never text, whose contrast must hold at every frame.
/**
 * The default theme. Applied as a constructable stylesheet, so it needs no `'unsafe-inline'`. A function,
 * so that a bundle which never mounts a chat drops it (a top-level template with calls would be kept).
 */
export const themeCss = () => `
.chatwire{${vars('light')}color-scheme:light;display:flex;flex-flow:column;box-sizing:border-box;height:100%;background:var(--cw-bg);color:var(--cw-fg);font:var(--chatwire-font,15px/1.5 system-ui,sans-serif);border:1px solid var(--cw-border);border-radius:var(--chatwire-radius,10px);overflow:hidden}
.chatwire[data-color-scheme=dark]{${vars('dark')}color-scheme:dark}
@media (prefers-color-scheme:dark){.chatwire[data-color-scheme=auto]{${vars('dark')}color-scheme:dark}}
.chatwire[hidden],.chatwire [hidden],.cw-avatar:empty{display:none}
.chatwire :focus-visible{outline:2px solid var(--cw-focus);outline-offset:2px}
.chatwire .cw-log:focus-visible{outline-offset:-2px}
.cw-log>.cw-msg{content-visibility:auto;contain-intrinsic-size:auto 160px}.cw-log>.cw-eager{content-visibility:visible}
.cw-welcome{padding:24px 16px 0;text-align:center}
.cw-welcome .cw-avatar{margin:auto}
.cw-title{margin:8px 0 0;font-weight:600}
.cw-tagline,.cw-name,.cw-code-header{margin:0;color:var(--cw-muted);font-size:.9em}
.cw-starters,.cw-composer,.cw-msg,.cw-code-header{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.cw-starters{justify-content:center;margin-top:16px}
.cw-log{flex:1;overflow-y:auto;padding:12px 16px}
.cw-msg{flex-wrap:nowrap;align-items:start;margin-bottom:12px;overflow-wrap:anywhere}
.cw-avatar{flex:none;width:32px;height:32px;border-radius:50%;display:grid;place-items:center;overflow:hidden;background:var(--cw-code-bg)}
.cw-avatar img{width:100%;height:100%}
.cw-bubble{min-width:0}
.cw-content>:first-child,.cw-reasoning-panel>:first-child{margin-top:0}.cw-content>:last-child,.cw-reasoning-panel>:last-child{margin-bottom:0}
[data-role=user] .cw-content,.cw-pending{white-space:pre-wrap}
.chatwire--bubbles .cw-msg{max-width:85%}
.chatwire--bubbles [data-role=user]{flex-direction:row-reverse;margin-left:auto;text-align:right}
.chatwire--bubbles .cw-content{padding:8px 12px;border-radius:14px;background:var(--cw-assistant-bg);color:var(--cw-assistant-fg);text-align:left}
.chatwire--bubbles [data-role=user] .cw-content{background:var(--cw-user-bg);color:var(--cw-user-fg)}
.chatwire--list .cw-msg{padding-bottom:12px;border-bottom:1px solid var(--cw-code-bg)}
@media (max-width:480px){.cw-log{padding:12px 10px}.chatwire--bubbles [data-role=assistant]{max-width:none}.chatwire--bubbles [data-role=assistant] .cw-bubble{flex:1}.chatwire--bubbles [data-role=assistant]>.cw-avatar{display:none}}
.cw-code{margin:8px 0;border-radius:6px;background:var(--cw-code-bg);color:var(--cw-assistant-fg)}
.cw-code-header{padding:4px 4px 0 10px}.cw-code-copy{margin-left:auto}
.cw-content pre{margin:0;padding:8px 10px}
.cw-content code{font-family:ui-monospace,monospace}
.cw-content pre,.cw-table{overflow-x:auto}.cw-table{max-width:100%}
.cw-content table{border-collapse:collapse}.cw-content th,.cw-content td{border:1px solid var(--cw-border);padding:4px 8px;overflow-wrap:normal;word-break:normal;min-width:3em}
.cw-align-center{text-align:center}.cw-align-right{text-align:right}
.cw-content blockquote{margin:0;padding-left:12px;border-left:3px solid var(--cw-border);color:var(--cw-muted)}
.cw-content a,.cw-sources a{color:inherit}
.cw-reasoning{margin:2px 0 6px;color:var(--cw-muted);font-size:.9em}
.chatwire .cw-reasoning-toggle{display:inline-flex;gap:6px;align-items:center;padding:2px 4px;border-color:transparent;background:none;color:inherit}
.cw-reasoning-toggle::before{content:"";border:5px solid transparent;border-left:6px solid;border-right:0;transition:transform .15s}
.cw-reasoning-toggle[aria-expanded=true]::before{transform:rotate(90deg)}
.cw-reasoning[data-state=thinking] .cw-reasoning-toggle::before{animation:cw-pulse 1.2s ease-in-out infinite}
.cw-reasoning-panel{margin:4px 0 0 4px;padding-left:12px;border-left:3px solid var(--cw-border)}
.cw-sources{margin-top:6px;font-size:.9em}
.cw-sources-label{margin:0;color:var(--cw-muted)}
.cw-sources ul{margin:2px 0 0;padding-left:20px}
.cw-typing{display:inline-flex;gap:4px;align-items:center;min-height:1.5em}
.cw-typing span{width:6px;height:6px;border-radius:50%;background:currentColor;opacity:.35;animation:cw-typing 1.2s infinite}
.cw-typing span:nth-child(2){animation-delay:.2s}.cw-typing span:nth-child(3){animation-delay:.4s}
@keyframes cw-typing{30%{opacity:1;transform:translateY(-3px)}60%{opacity:.35;transform:none}}
@keyframes cw-pulse{50%{opacity:.3}}
@media (prefers-reduced-motion:reduce){.chatwire *,.chatwire ::before{animation:none!important;transition:none!important}.cw-typing span{opacity:.7}}
.cw-error{color:var(--cw-error)}
.cw-composer{flex-wrap:nowrap;align-items:end;padding:12px;border-top:1px solid var(--cw-border)}
.cw-input{flex:1;box-sizing:border-box;resize:none;max-height:200px;padding:8px 10px;font:inherit;font-size:max(1em,16px);color:inherit;background:inherit;border:1px solid var(--cw-border);border-radius:8px}
.cw-input::placeholder{color:var(--cw-muted)}
.chatwire button{font:inherit;cursor:pointer;border-radius:8px;padding:6px 12px;border:1px solid var(--cw-border);background:var(--cw-bg);color:var(--cw-fg)}
.chatwire .cw-send{background:var(--cw-accent);color:var(--cw-accent-fg);border-color:var(--cw-accent)}
.chatwire button:disabled{cursor:default;opacity:.6}
@media (pointer:coarse){.chatwire button,.cw-input{min-width:44px;min-height:44px}.cw-sources li{padding:6px 0}}
.cw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.cw-content:empty,.cw-before:empty,.cw-after:empty,.cw-note:empty,.cw-actions:empty{display:none}
.cw-note,.cw-actions,.cw-edit-form{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-top:6px}
.cw-stopped{color:var(--cw-muted)}
.cw-actions button,.cw-note button{padding:2px 10px;font-size:.9em}
.cw-log>.cw-msg:not(:last-child) .cw-actions .cw-regenerate{display:none}
.cw-feedback{display:inline-grid;place-items:center}.cw-feedback[aria-pressed=true]{border-color:var(--cw-accent)}.cw-feedback[aria-pressed=true] path{fill:currentColor}
.cw-edit-form .cw-input{flex-basis:100%}
.chatwire .cw-jump{align-self:center;position:relative;z-index:1;margin:-44px 0 8px;box-shadow:0 1px 4px #0003}
`;
