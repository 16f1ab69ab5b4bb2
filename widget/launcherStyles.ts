// The launcher's stylesheet, in the widget's shadow root before the panel's (ui/styles.ts) arrives:
// the fixed corner, the round button in the site's colour and the unread badge. Colours come from the
// shadow host (look.ts): `--parley-on-accent` is the text colour the contrast rule picked (≥ 4.5:1).
// The panel's sheet builds on this one (the host reset, .root's corner, font, --accent and --on).
/** Below this width the panel fills the screen and is modal (ui/Panel.tsx and ui/styles.ts read it too). */
export const SMALL_SCREEN = '(max-width:480px)';

export const launcherStyles = `
:host{all:initial}
.root{--accent:var(--parley-accent,#4f46e5);--on:var(--parley-on-accent,#fff);position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
:host([data-position=left]) .root{right:auto;left:20px}
.launcher{width:56px;height:56px;border:0;border-radius:50%;background:var(--accent);color:var(--on);display:grid;place-items:center;box-shadow:0 6px 20px rgba(17,24,39,.25);cursor:pointer;transition:transform .15s ease}
.launcher:hover{transform:scale(1.06)}
.launcher:focus-visible{outline:3px solid var(--parley-ring,#4f46e5);outline-offset:2px}
.launcher svg{width:26px;height:26px}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#dc2626;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center;box-shadow:0 0 0 2px #fff;pointer-events:none}
.badge[hidden]{display:none}
@media (prefers-reduced-motion:reduce){.launcher{transition:none}}
@media ${SMALL_SCREEN}{.open .launcher{display:none}}
`;
