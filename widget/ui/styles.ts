// The chat panel's stylesheet, injected into the widget's shadow root: host-page CSS cannot reach in and
// ours cannot leak out. A site owner sets `--parley-accent` (Settings → Widget or data-color) and
// `--parley-on-accent` follows it (white, or dark text where white falls below 4.5:1), as do the focus
// rings `--parley-ring(-dark)` (3:1 on the panel); look.ts sets them. Every other colour is a custom
// property on .root, redefined for prefers-color-scheme: dark with the same floors (text 4.5:1), named
// with a letter since each is spelled dozens of times: --i ink (text), --m muted text, --l lines,
// --f a field's edge, --b the panel's background, --g the log's, --d danger text, --dl danger lines,
// --r the focus ring.
// The launcher's sheet (../launcherStyles.ts) is in the same shadow root before this one and already
// resets the host, places the fixed corner (and its side), sets the font and `--accent`/`--on` on
// .root: this sheet does not repeat them, since every byte here is paid again by each chatting visitor.
import { PANEL_DARK, PANEL_LIGHT } from '../../shared/widgetLook';
import { SMALL_SCREEN } from '../launcherStyles';

export const styles = `
*{box-sizing:border-box;margin:0}
.root{--r:var(--parley-ring,#4f46e5);--i:#111827;--m:#6b7280;--l:#e5e7eb;--f:#868e9c;--b:${PANEL_LIGHT};--g:#f9fafb;--d:#b91c1c;--dl:#fca5a5;color:var(--i);color-scheme:light}
@media (prefers-color-scheme:dark){.root{--r:var(--parley-ring-dark,#fff);--i:#f3f4f6;--m:#aab1bd;--l:#374151;--f:#6b7280;--b:${PANEL_DARK};--g:#111827;--d:#fca5a5;--dl:#b91c1c;color-scheme:dark}}
button{font:inherit;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid var(--r);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.panel{position:absolute;right:0;bottom:72px;width:370px;height:min(560px,calc(100vh - 110px));display:flex;flex-direction:column;background:var(--b);border-radius:16px;overflow:hidden;box-shadow:0 12px 40px #11182738,0 0 0 1px #1118270d;animation:rise .18s ease-out}
@keyframes rise{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.panel{animation:none}}
:host([data-position=left]) .panel{right:auto;left:0}
@media ${SMALL_SCREEN}{.panel{position:fixed;left:0;right:0;top:var(--vv-top,0px);bottom:auto;width:auto;height:var(--vv-height,100%);border-radius:0}}
.header{display:flex;align-items:center;gap:12px;padding:16px 16px 14px;background:var(--accent);color:var(--on)}
.header button:focus-visible{outline-color:var(--on);outline-offset:-3px}
.avatar{width:36px;height:36px;border-radius:50%;background:#fff3;display:grid;place-items:center;flex:none}
.avatar svg,.close svg,.attach svg{width:20px;height:20px}
.heading{flex:1;min-width:0}
.title{font-size:16px;font-weight:600}
.subtitle{font-size:12.5px}
.faces{display:flex;flex:none}
.face{position:relative;overflow:hidden;width:32px;height:32px;border-radius:50%;border:2px solid var(--accent);display:grid;place-items:center;font-size:14px;font-weight:600;color:#fff}
.face img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}
.face+.face{margin-left:-10px}
.names{font-size:12.5px;font-weight:600}
.close{border:0;background:none;color:inherit;width:32px;height:32px;border-radius:8px;display:grid;place-items:center}
.close:hover{background:color-mix(in srgb,var(--on) 15%,transparent)}
.notice{padding:6px 16px;background:#fef3c7;color:#92400e;font-size:12.5px;text-align:center}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px;display:flex;flex-direction:column;gap:10px;background:var(--g)}
.log:focus-visible{outline:3px solid var(--r);outline-offset:-3px}
.msg{max-width:80%;display:flex;flex-direction:column;gap:3px}
.msg.visitor{align-self:flex-end;align-items:flex-end}
.msg.agent{align-self:flex-start}
.who{font-size:12px;color:var(--m);padding:0 4px}
.bubble{padding:9px 13px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere}
.bubble a{color:inherit;text-decoration:underline;text-underline-offset:2px}
.visitor .bubble{background:var(--accent);color:var(--on);border-bottom-right-radius:4px}
.agent .bubble{background:var(--b);border:1px solid var(--l);border-bottom-left-radius:4px}
.visitor.failed .bubble{background:var(--b);color:var(--i);border:1px solid var(--dl)}
.meta{font-size:11.5px;color:var(--m);padding:0 4px;display:flex;gap:6px;align-items:center}
.failed .meta{color:var(--d)}
.retry{border:0;background:none;color:var(--d);text-decoration:underline;padding:0;font-size:11.5px}
.typing{font-size:12.5px;color:var(--m);font-style:italic;padding:0 4px}
.composer{display:flex;gap:8px;align-items:flex-end;padding:12px;border-top:1px solid var(--l);background:var(--b)}
textarea,input{flex:1;resize:none;border:1px solid var(--f);border-radius:12px;padding:9px 12px;font:inherit;color:inherit;max-height:120px;min-height:40px;outline:none;background:var(--b)}
textarea::placeholder,input::placeholder{color:var(--m)}
textarea:focus,input:focus{border-color:var(--r);box-shadow:0 0 0 2px var(--r)}
.send{height:40px;padding:0 14px;border:0;border-radius:12px;background:var(--accent);color:var(--on);font-weight:600;display:flex;align-items:center;gap:6px}
.send:disabled{opacity:.45;cursor:default}
.send svg{width:16px;height:16px}
.count{font-size:11px;color:var(--m);text-align:right;padding:0 14px 6px;background:var(--b)}
.count.over{color:var(--d)}
.email{flex-wrap:wrap;align-items:center}
.email p{flex-basis:100%;font-weight:600}
.email .err{color:var(--d);font-weight:400}
[aria-invalid=true]{border-color:var(--dl)}
.done{background:#ecfdf5;color:#065f46;outline:0}
.bubble:empty{display:none}
.attach{width:40px;height:40px;flex:none;border:0;border-radius:12px;background:none;color:var(--m);display:grid;place-items:center}
.file{display:flex;flex-direction:column;gap:4px;padding:6px 10px;border:1px solid var(--l);border-radius:12px;background:var(--b);color:var(--i);font-size:13px;text-align:left;overflow-wrap:anywhere}
.thumb{max-width:200px;max-height:160px;border-radius:8px;display:block}
progress{width:100%;accent-color:var(--accent)}
.brand{font-size:11px;color:var(--m);text-align:center;padding:0 0 8px;background:var(--b)}
`;
