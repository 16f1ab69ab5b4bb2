// Live notes above the reply box: which other agents have this conversation open (so two people do
// not answer at once), and the visitor's draft as they type it. Text only, never HTML.
import type { Viewer } from '../../shared/protocol';

export function CollisionNotice({ viewers, selfId }: { viewers: Viewer[]; selfId: number }) {
  const others = viewers.filter((v) => v.agentId !== selfId);
  if (others.length === 0) return null;
  return (
    <div class="collision-notice" role="status">
      {others.map((v) => (
        <span key={v.agentId} class={v.typing ? 'typing' : undefined}>
          {v.typing ? `${v.name} is typing a reply…` : `${v.name} is also viewing`}
        </span>
      ))}
    </div>
  );
}

export function VisitorTyping({ preview }: { preview: string }) {
  if (!preview) return null;
  return (
    <div class="visitor-typing" role="status">
      {`Visitor is typing: ${preview}`}
    </div>
  );
}
