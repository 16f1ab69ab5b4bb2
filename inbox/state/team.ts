// The team as the agent socket last told it (`{type:'team'}`: names, pictures, who is available), for
// any component that shows agents: the top bar, the channel picker. Null until the first frame.
import { useEffect, useState } from 'preact/hooks';
import type { TeamMember } from '../../shared/protocol';

let current: TeamMember[] | null = null;
const listeners = new Set<(team: TeamMember[] | null) => void>();

export function setTeam(team: TeamMember[] | null): void {
  current = team;
  for (const listener of listeners) listener(team);
}

export function useTeam(): TeamMember[] | null {
  const [team, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    setState(current); // in case it changed between render and effect
    return () => void listeners.delete(setState);
  }, []);
  return team;
}

/** Whether any agent counts as online (unknown until the first frame: assume so, as before Status existed). */
export const anyoneAvailable = (team: TeamMember[] | null): boolean => team === null || team.some((m) => m.available);
