// The header's faces: up to three available agents (their picture, else an initial in their colour),
// or the chat icon while nobody is available. Their first names are a line of the heading (faceNames).
import { avatarColour } from '../../shared/avatarColours';
import type { WidgetFace } from '../../shared/protocol';
import type { LauncherLink } from '../panelLink';

/** A colour per name: visitors get no agent ids, and a name keeps its colour on every page. */
const seedOf = (name: string): number => [...name].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);

export function Faces({ team, icon }: { team: WidgetFace[]; icon: LauncherLink['icon'] }) {
  if (team.length === 0) {
    return <div class="avatar" dangerouslySetInnerHTML={{ __html: icon('chat') }} />;
  }
  // The names are read out from the heading; the pictures add nothing for a screen reader.
  return (
    <div class="faces" aria-hidden="true">
      {team.map((face, i) => (
        // The picture covers the initial; if the host page's CSP or the network stops it, the initial shows.
        <span key={i} class="face" style={{ background: avatarColour(seedOf(face.name)) }}>
          {[...face.name][0]}
          {face.avatarUrl && <img src={face.avatarUrl} alt="" />}
        </span>
      ))}
    </div>
  );
}

/** "Grace, Ada": who is there to answer. */
export const faceNames = (team: WidgetFace[]): string => team.map((face) => face.name).join(', ');
