// Settings → Agents over real HTTP: an admin renames an agent, changes a role, resets a password
// (which signs that agent out everywhere), and can never leave the inbox without an active admin.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentRecord, ApiError } from '../../../shared/protocol';
import { ADMIN, AgentSession, startTestParley, type TestParley } from '../../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

const LINUS = { email: 'linus@example.com', password: 'a long password', name: 'Linus' };

async function withLinus() {
  parley = await startTestParley();
  const admin = await AgentSession.signIn(parley);
  const created = (await (await admin.request('/api/agents', { method: 'POST', body: LINUS })).json()) as { agent: AgentRecord };
  return { admin, linusId: created.agent.id };
}

const adminId = async (admin: AgentSession) =>
  ((await (await admin.request('/api/agents')).json()) as { agents: AgentRecord[] }).agents.find((a) => a.email === ADMIN.email)!.id;

describe('agent admin', () => {
  it("renames an agent and changes their role, which takes effect on their next request", async () => {
    const { admin, linusId } = await withLinus();
    const linus = await AgentSession.signIn(parley, LINUS);
    expect((await linus.request('/api/agents')).status).toBe(403);

    const res = await admin.request(`/api/agents/${linusId}`, { method: 'PATCH', body: { name: '  Linus T.  ', role: 'admin' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { agent: AgentRecord }).agent).toMatchObject({ name: 'Linus T.', role: 'admin' });
    expect((await linus.request('/api/agents')).status).toBe(200);
  });

  it('refuses an empty name, an unknown role, or no change at all', async () => {
    const { admin, linusId } = await withLinus();
    for (const body of [{ name: '   ' }, { role: 'owner' }, {}]) {
      expect((await admin.request(`/api/agents/${linusId}`, { method: 'PATCH', body })).status).toBe(400);
    }
    expect((await admin.request('/api/agents/9999', { method: 'PATCH', body: { name: 'Ghost' } })).status).toBe(404);
  });

  it('lets only admins edit agents', async () => {
    const { linusId } = await withLinus();
    const linus = await AgentSession.signIn(parley, LINUS);
    expect((await linus.request(`/api/agents/${linusId}`, { method: 'PATCH', body: { role: 'admin' } })).status).toBe(403);
    expect((await linus.request(`/api/agents/${linusId}/password`, { method: 'POST', body: { password: 'my own choice' } })).status).toBe(403);
  });

  it("resets a password: the old one stops working and the agent's open sessions and inboxes end", async () => {
    const { admin, linusId } = await withLinus();
    const linus = await AgentSession.signIn(parley, LINUS);
    const feed = await linus.openSocket();

    const res = await admin.request(`/api/agents/${linusId}/password`, { method: 'POST', body: { password: 'a brand new secret' } });
    expect(res.status).toBe(200);
    expect(await feed.next('signedOut')).toEqual({ type: 'signedOut' });
    expect((await linus.request('/api/conversations')).status).toBe(401);
    await expect(AgentSession.signIn(parley, LINUS)).rejects.toThrow(/401/);
    await AgentSession.signIn(parley, { ...LINUS, password: 'a brand new secret' });
  });

  it('refuses a short password, and resetting one’s own (that needs the current password)', async () => {
    const { admin, linusId } = await withLinus();
    const short = await admin.request(`/api/agents/${linusId}/password`, { method: 'POST', body: { password: 'short' } });
    expect(short.status).toBe(400);
    expect(((await short.json()) as ApiError).error).toBe('Use at least 8 characters');
    const own = await admin.request(`/api/agents/${await adminId(admin)}/password`, { method: 'POST', body: { password: 'a long password' } });
    expect(own.status).toBe(409);
  });

  it('never demotes or deactivates the last active admin', async () => {
    const { admin, linusId } = await withLinus();
    const myId = await adminId(admin);
    const demote = await admin.request(`/api/agents/${myId}`, { method: 'PATCH', body: { role: 'agent' } });
    expect(demote.status).toBe(409);
    expect(((await demote.json()) as ApiError).error).toBe('This is the last active admin: make another agent an admin first');

    // With a second admin, the first may step down; then the second is the last and stays.
    await admin.request(`/api/agents/${linusId}`, { method: 'PATCH', body: { role: 'admin' } });
    expect((await admin.request(`/api/agents/${myId}`, { method: 'PATCH', body: { role: 'agent' } })).status).toBe(200);
    const linus = await AgentSession.signIn(parley, LINUS);
    expect((await linus.request(`/api/agents/${linusId}`, { method: 'PATCH', body: { role: 'agent' } })).status).toBe(409);
    expect((await linus.request(`/api/agents/${myId}`, { method: 'PATCH', body: { role: 'admin' } })).status).toBe(200);
    // Two admins again: deactivating one leaves the other as the last.
    expect((await linus.request(`/api/agents/${myId}/deactivate`, { method: 'POST' })).status).toBe(200);
    const records = ((await (await linus.request('/api/agents')).json()) as { agents: AgentRecord[] }).agents;
    expect(records.filter((a) => a.role === 'admin' && a.active).map((a) => a.id)).toEqual([linusId]);
  });
});
