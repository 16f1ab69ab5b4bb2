// The widget's whole stylesheet, injected into its shadow root: host-page CSS cannot reach in and
// ours cannot leak out. A site owner sets `--parley-accent` (Settings → Widget or data-color) and
// `--parley-on-accent` follows it (white, or dark text where white falls below 4.5:1); look.ts sets both.
export const styles = `
:host{all:initial}
*{box-sizing:border-box;margin:0}
.root{--accent:var(--parley-accent,#4f46e5);--on:var(--parley-on-accent,#fff);--ink:#111827;--muted:#6b7280;--line:#e5e7eb;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink)}
button{font:inherit;cursor:pointer}
.launcher{width:56px;height:56px;border:0;border-radius:50%;background:var(--accent);color:var(--on);display:grid;place-items:center;box-shadow:0 6px 20px rgba(17,24,39,.25);transition:transform .15s ease}
.launcher:hover{transform:scale(1.06)}
button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
.launcher svg{width:26px;height:26px}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#ef4444;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center;box-shadow:0 0 0 2px #fff;pointer-events:none}
.panel{position:absolute;right:0;bottom:72px;width:370px;height:min(560px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 12px 40px rgba(17,24,39,.22),0 0 0 1px rgba(17,24,39,.05);animation:rise .18s ease-out}
@keyframes rise{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.panel{animation:none}.launcher{transition:none}}
:host([data-position=left]) .root{right:auto;left:20px}
:host([data-position=left]) .panel{right:auto;left:0}
@media (max-width:480px){.panel{position:fixed;inset:0;width:auto;height:auto;border-radius:0}.panel~.launcher{display:none}}
.header{display:flex;align-items:center;gap:12px;padding:16px 16px 14px;background:var(--accent);color:var(--on)}
.avatar{width:36px;height:36px;border-radius:50%;background:rgba(255,255,255,.2);display:grid;place-items:center;flex:none}
.avatar svg{width:20px;height:20px}
.heading{flex:1;min-width:0}
.title{font-size:16px;font-weight:600}
.subtitle{font-size:12.5px;opacity:.85}
.faces{display:flex;flex:none}
.face{position:relative;overflow:hidden;width:32px;height:32px;border-radius:50%;border:2px solid var(--accent);display:grid;place-items:center;font-size:14px;font-weight:600;color:#fff}
.face img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}
.face+.face{margin-left:-10px}
.names{font-size:12.5px;font-weight:600}
.close{border:0;background:transparent;color:inherit;width:32px;height:32px;border-radius:8px;display:grid;place-items:center;opacity:.85}
.close:hover{background:rgba(255,255,255,.15);opacity:1}
.notice{padding:6px 16px;background:#fef3c7;color:#92400e;font-size:12.5px;text-align:center}
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:10px;background:#f9fafb}
.msg{max-width:80%;display:flex;flex-direction:column;gap:3px}
.msg.visitor{align-self:flex-end;align-items:flex-end}
.msg.agent{align-self:flex-start}
.who{font-size:12px;color:var(--muted);padding:0 4px}
.bubble{padding:9px 13px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor .bubble{background:var(--accent);color:var(--on);border-bottom-right-radius:4px}
.agent .bubble{background:#fff;border:1px solid var(--line);border-bottom-left-radius:4px}
.visitor.sending .bubble{opacity:.7}
.visitor.failed .bubble{background:#fff;color:var(--ink);border:1px solid #fca5a5}
.meta{font-size:11.5px;color:var(--muted);padding:0 4px;display:flex;gap:6px;align-items:center}
.failed .meta{color:#b91c1c}
.retry{border:0;background:none;color:#b91c1c;text-decoration:underline;padding:0;font-size:11.5px}
.typing{font-size:12.5px;color:var(--muted);font-style:italic;padding:0 4px}
.composer{display:flex;gap:8px;align-items:flex-end;padding:12px;border-top:1px solid var(--line);background:#fff}
textarea,input{flex:1;resize:none;border:1px solid var(--line);border-radius:12px;padding:9px 12px;font:inherit;color:inherit;max-height:120px;min-height:40px;outline:none;background:#fff}
textarea:focus,input:focus{border-color:var(--accent);box-shadow:0 0 0 3px rgba(79,70,229,.15)}
.send{height:40px;padding:0 14px;border:0;border-radius:12px;background:var(--accent);color:var(--on);font-weight:600;display:flex;align-items:center;gap:6px}
.send:disabled{opacity:.45;cursor:default}
.send svg{width:16px;height:16px}
.count{font-size:11px;color:var(--muted);text-align:right;padding:0 14px 6px;background:#fff}
.count.over{color:#b91c1c}
.email{flex-wrap:wrap;align-items:center}
.email p{flex-basis:100%;font-weight:600}
.email .err{color:#b91c1c;font-weight:400}
[aria-invalid=true]{border-color:#fca5a5}
.done{background:#ecfdf5;color:#065f46;outline:0}
.bubble:empty{display:none}
.attach{width:40px;height:40px;flex:none;border:0;border-radius:12px;background:none;color:var(--muted);display:grid;place-items:center}
.attach svg{width:20px;height:20px}
.file{display:flex;flex-direction:column;gap:4px;padding:6px 10px;border:1px solid var(--line);border-radius:12px;background:#fff;color:var(--ink);font-size:13px;text-align:left;overflow-wrap:anywhere}
.thumb{max-width:200px;max-height:160px;border-radius:8px;display:block}
progress{width:100%;accent-color:var(--accent)}
.brand{font-size:11px;color:#9ca3af;text-align:center;padding:0 0 8px;background:#fff}
`;
