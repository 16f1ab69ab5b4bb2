// The team as every agent sees it: active agents with their picture and whether they count as online
// (chose Available and have an inbox open). Read from storage and the hub; never cached, so a change
// of either is in the next answer.
import type { TeamMember } from '../../shared/protocol';
import type { FanOut } from '../realtime/fanOut';
import type { Storage } from '../storage';

/** The avatar route's address; the hash in `v` changes with the picture, so it can be cached for good. */
export const avatarUrl = (agentId: number, sha256: string): string => `/api/agents/${agentId}/avatar?v=${sha256.slice(0, 12)}`;

export function currentTeam(storage: Storage, fanOut: FanOut): TeamMember[] {
  const withInbox = fanOut.agentsWithInbox();
  return storage.agents.team().map((row) => ({
    id: row.id,
    name: row.name,
    avatarUrl: row.avatarSha256 ? avatarUrl(row.id, row.avatarSha256) : null,
    available: row.availability === 'available' && withInbox.has(row.id),
  }));
}

/** Someone joined, left, or changed how they appear: every inbox gets the whole team again. */
export function publishTeam(storage: Storage, fanOut: FanOut): void {
  fanOut.toAgents({ type: 'team', team: currentTeam(storage, fanOut) });
}
