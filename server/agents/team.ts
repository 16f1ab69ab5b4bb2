// The team as agents and visitors see it: names, pictures, and who is available (Status "Available"
// with an inbox open, which only the fan-out knows). Visitors get first names and pictures only, never an
// email or an id; names and pictures change through the profile routes, availability through the hub.
import type { AgentView, TeamMember, WidgetFace } from '../../shared/protocol';
import type { FanOut } from '../realtime/fanOut';
import type { Storage, StoredAvatar } from '../storage';

/** The widget's header has room for this many faces. */
export const MAX_WIDGET_FACES = 3;

/** Where an agent's picture is served; `?v=` changes with the picture, so a browser may keep it for ever. */
export function avatarPath(agentId: number, avatar: StoredAvatar | null): string | null {
  return avatar ? `/api/agents/${agentId}/avatar?v=${avatar.sha256.slice(0, 16)}` : null;
}

/** Every active agent, by name, with whether they count as online right now. */
export async function teamMembers(storage: Storage, fanOut: FanOut): Promise<TeamMember[]> {
  const profiles = await storage.agents.profiles();
  const available = new Set(fanOut.availableAgentIds());
  return profiles.map((p) => ({ id: p.id, name: p.name, avatarUrl: avatarPath(p.id, p.avatar), available: available.has(p.id) }));
}

const firstName = (name: string): string => name.trim().split(/\s+/)[0] ?? name;

/** Up to three available agents for the widget's header; picture URLs absolute, as the widget runs on other sites. */
export function widgetFaces(members: TeamMember[], serverOrigin: string): WidgetFace[] {
  return members
    .filter((m) => m.available)
    .slice(0, MAX_WIDGET_FACES)
    .map((m) => ({ name: firstName(m.name), avatarUrl: m.avatarUrl && serverOrigin + m.avatarUrl }));
}

/** The session's own agent with their Status choice and picture (the inbox's Status select and Profile start from them). */
export async function withProfile(storage: Storage, agent: AgentView): Promise<AgentView> {
  const profile = await storage.agents.profile(agent.id);
  return profile ? { ...agent, availability: profile.availability, avatarUrl: avatarPath(agent.id, profile.avatar) } : agent;
}

/**
 * Tells every inbox the whole team (`{type:'team'}`) whenever a name, a picture or who is available
 * changes, and every widget its faces when those changed. The faces are cached: every widget's hello asks.
 */
export class TeamNews {
  #faces: WidgetFace[] = [];
  #facesJson = '[]';

  constructor(
    private readonly storage: Storage,
    private readonly fanOut: FanOut,
    /** PARLEY_PUBLIC_URL or where the server listens: known only once it listens. */
    private readonly serverOrigin: () => string,
  ) {
    // Who is available is each process's view of the whole cluster: each tells its own clients.
    fanOut.onAvailableAgentsChanged(() => this.show());
    // A name, a picture or the agents changed on some process: every process reads the team again.
    fanOut.onSignal('team', () => this.show());
  }

  members(): Promise<TeamMember[]> {
    return teamMembers(this.storage, this.fanOut);
  }

  /** What the widget's welcome shows. */
  faces(): WidgetFace[] {
    return this.#faces;
  }

  /** Whether the agent chose Available (an inbox they open then makes them count as online). */
  async choseAvailable(agentId: number): Promise<boolean> {
    return (await this.storage.agents.profile(agentId))?.availability !== 'away';
  }

  /** A name, a picture or the list of agents changed (here): every process shows the team again. */
  changed(): void {
    this.fanOut.signal('team');
  }

  /** Shows are queued: one that read the team earlier never overwrites a later one. */
  private showing: Promise<void> = Promise.resolve();

  private show(): void {
    this.showing = this.showing.then(
      () => this.showNow(),
    ).catch((err: unknown) => console.error('[parley] could not show the team:', err));
  }

  private async showNow(): Promise<void> {
    const team = await this.members();
    this.fanOut.toAgentsHere({ type: 'team', team });
    const faces = widgetFaces(team, this.serverOrigin());
    const json = JSON.stringify(faces);
    if (json === this.#facesJson) return;
    this.#faces = faces;
    this.#facesJson = json;
    this.fanOut.toAllVisitorsHere({ type: 'team', team: faces });
  }
}
