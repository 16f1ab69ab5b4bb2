// The team (GET /api/team), loaded after sign-in and again after every reconnect, and replaced whole
// by each live `team` frame: the Assignee select and the notes' authors read it.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { TeamMember } from '../../shared/protocol';
import { api } from '../api/client';

/** `endedSession` leaves the inbox when a failure means the session is gone; it must be stable. */
export function useTeam(endedSession: (err: unknown) => boolean) {
  const [team, setTeam] = useState<TeamMember[]>([]);
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
