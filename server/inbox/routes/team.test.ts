// GET /api/team and the live `team` frame: who the colleagues are, and who counts as online.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord, TeamMember } from '../../../shared/protocol';
import { AgentSession, startTestParley, type TestParley } from '../../testing';

let parley: TestParley;
let ada: AgentSession;
beforeEach(async () => {
  parley = await startTestParley();
  ada = await AgentSession.signIn(parley);
});
afterEach(async () => {
  await parley.destroy();
});

const team = async (as: AgentSession) => ((await (await as.request('/api/team')).json()) as { team: TeamMember[] }).team;

describe('the team', () => {
  it('needs a session', async () => {
    expect((await fetch(`${parley.url}/api/team`)).status).toBe(401);
  });

  it('lists active agents by name; only one with an inbox open counts as available', async () => {
    const created = await ada.request('/api/agents', {
      method: 'POST',
      body: { email: 'grace@example.com', name: 'Grace', password: 'long enough', role: 'agent' },
    });
    const grace = ((await created.json()) as { agent: AgentRecord }).agent;
    const graceSession = await AgentSession.signIn(parley, { email: 'grace@example.com', password: 'long enough', name: 'Grace' });

    expect(await team(graceSession)).toEqual([
      { id: expect.any(Number), name: 'Ada', avatarUrl: null, available: false },
      { id: grace.id, name: 'Grace', avatarUrl: null, available: false },
    ]);
    const socket = await graceSession.openSocket();
    expect((await team(ada)).find((m) => m.id === grace.id)?.available).toBe(true);
    socket.close();
  });

  it('is sent again, whole, when an agent is added or deactivated', async () => {
    const socket = await ada.openSocket();
    const names = (frame: { team: TeamMember[] }) => frame.team.map((m) => m.name).join(', ');
    // The socket is told the team as it opens (and as Ada becomes available): Ada alone.
    expect(names(await socket.next('team'))).toBe('Ada');
    const created = await ada.request('/api/agents', {
      method: 'POST',
      body: { email: 'grace@example.com', name: 'Grace', password: 'long enough', role: 'agent' },
    });
    const grace = ((await created.json()) as { agent: AgentRecord }).agent;
    await socket.next('team', (f) => names(f) === 'Ada, Grace');
    await ada.request(`/api/agents/${grace.id}/deactivate`, { method: 'POST' });
    await socket.next('team', (f) => names(f) === 'Ada');
    socket.close();
  });
});
