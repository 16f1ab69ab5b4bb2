// Keeps the team store (team.ts) filled for a signed-in inbox: GET /api/team after sign-in and after every
// reconnect, replaced whole by each live `team` frame. The Assignee select, notes' authors, the top bar
// and the channel picker all read the same store.
import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { TeamMember } from '../../shared/protocol';
import { api } from '../api/client';
import { setTeam, useTeam } from './team';

/** `endedSession` leaves the inbox when a failure means the session is gone; it must be stable. */
export function useLoadedTeam(endedSession: (err: unknown) => boolean) {
  const team = useTeam() ?? [];
  // A frame or a later load is newer than an answer still on its way: that answer is dropped.
  const version = useRef(0);

  const reload = useCallback(async () => {
    const asked = ++version.current;
    try {
      const { team } = await api.team();
      if (asked === version.current) setTeam(team);
    } catch (err) {
      // Without the team the select offers only the current owner and "Unassigned"; the next reconnect retries.
      endedSession(err);
    }
  }, []);

  const replace = useCallback((next: TeamMember[]) => {
    version.current++;
    setTeam(next);
  }, []);

  useEffect(() => {
    void reload();
  }, []);

  return { team, reload, replace };
}
