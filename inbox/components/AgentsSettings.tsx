// Settings › Agents (admins only): everyone who can sign in, activating and deactivating them (a
// deactivated agent is signed out at once), and the form that adds one.
import { useState } from 'preact/hooks';
import type { AgentRecord, AgentView } from '../../shared/protocol';
import { api, describeError, type NewAgentInput } from '../api/client';
import { FormField, SelectField } from './FormField';
import { useResource } from '../state/useResource';
import { useSubmit } from '../state/useSubmit';
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../shared/limits';

const EMPTY_FORM: NewAgentInput = { name: '', email: '', password: '', role: 'agent' };
const ROLE_LABELS: Record<AgentRecord['role'], string> = { admin: 'Admin', agent: 'Agent' };

interface Props {
  self: AgentView;
  endedSession: (err: unknown) => boolean;
}

export function AgentsSettings({ self, endedSession }: Props) {
  const agents = useResource(api.agents, endedSession);
  const [form, setForm] = useState<NewAgentInput>(EMPTY_FORM);
  const [pending, setPending] = useState<number | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  const put = (agent: AgentRecord) =>
    agents.setData((d) => ({
      agents: d?.agents.some((a) => a.id === agent.id)
        ? d.agents.map((a) => (a.id === agent.id ? agent : a))
        : [...(d?.agents ?? []), agent],
    }));

  const add = () =>
    run(async () => {
      try {
        put((await api.createAgent(form)).agent);
      } catch (err) {
        endedSession(err);
        throw err;
      }
      setForm(EMPTY_FORM);
    });

  const toggle = async (a: AgentRecord) => {
    setPending(a.id);
    setRowError(null);
    try {
      put((await api.setAgentActive(a.id, !a.active)).agent);
    } catch (err) {
      if (!endedSession(err)) setRowError(`Could not ${a.active ? 'deactivate' : 'activate'} ${a.name}: ${describeError(err)}`);
    } finally {
      setPending(null);
    }
  };

  const list = agents.data?.agents;
  return (
    <section class="settings-section" aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      <p class="section-intro">Everyone who can sign in to this inbox. Deactivating someone signs them out at once.</p>
      {agents.error && (
        <div class="inline-alert" role="alert">
          <span>{agents.error}</span>
          <button type="button" class="link-button" onClick={() => void agents.reload()}>
            Try again
          </button>
        </div>
      )}
      {rowError && (
        <p class="inline-alert" role="alert">
          {rowError}
        </p>
      )}
      {!list && !agents.error && <p class="settings-note">Loading agents…</p>}
      {list && (
        // Focusable, so the keyboard can scroll it sideways where the table is wider than the screen.
        <div class="card table-scroll" tabIndex={0} role="region" aria-label="Agents table">
          <table class="agents-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id} class={a.active ? undefined : 'inactive'}>
                  <td data-label="Name">
                    {a.name}
                    {a.id === self.id && <span class="you"> (you)</span>}
                  </td>
                  <td data-label="Email">{a.email}</td>
                  <td data-label="Role">{ROLE_LABELS[a.role]}</td>
                  <td data-label="Status">
                    <span class={`pill ${a.active ? 'active' : 'inactive'}`}>{a.active ? 'Active' : 'Deactivated'}</span>
                  </td>
                  <td class="cell-action">
                    {a.id !== self.id && (
                      <button
                        type="button"
                        class="secondary small"
                        // aria-disabled, not disabled: disabling it would drop its focus to <body>.
                        aria-disabled={pending === a.id}
                        aria-busy={pending === a.id}
                        onClick={() => {
                          if (pending !== a.id) void toggle(a);
                        }}
                      >
                        {a.active ? 'Deactivate' : 'Activate'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="card settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <h3>New agent</h3>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="field-row">
          <FormField
            id="agent-name"
            label="Name"
            required
            maxLength={MAX_NAME_LENGTH}
            autocomplete="off"
            value={form.name}
            onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <FormField
            id="agent-email"
            label="Email"
            type="email"
            required
            maxLength={MAX_EMAIL_LENGTH}
            autocomplete="off"
            value={form.email}
            onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
          />
        </div>
        <div class="field-row">
          <FormField
            id="agent-password"
            label="Password"
            type="password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={MAX_PASSWORD_LENGTH}
            autocomplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Share it with them privately.`}
            value={form.password}
            onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
          />
          <SelectField
            id="agent-role"
            label="Role"
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.currentTarget.value === 'admin' ? 'admin' : 'agent' })}
          >
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </SelectField>
        </div>
        <div class="form-actions">
          <button type="submit" class="primary" aria-disabled={busy} aria-busy={busy}>
            Add agent
          </button>
        </div>
      </form>
    </section>
  );
}
