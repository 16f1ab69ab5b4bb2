// Settings › Agents (admins only): everyone who can sign in; editing a name or role and resetting a
// password (which signs them out), deactivating after a confirmation (also signs them out) and
// activating; and the form that adds one.
import { useState } from 'preact/hooks';
import type { AgentRecord, AgentView } from '../../shared/protocol';
import { api, describeError, type NewAgentInput } from '../api/client';
import { Dialog } from './Dialog';
import { FormError, FormField, SelectField } from './FormField';
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
  /** The agent whose deactivation waits for "Deactivate" in the confirmation. */
  const [confirming, setConfirming] = useState<AgentRecord | null>(null);
  const [editing, setEditing] = useState<AgentRecord | null>(null);
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
    if (pending !== null) return;
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
                    <button type="button" class="secondary small" aria-label={`Edit ${a.name}`} onClick={() => setEditing(a)}>
                      Edit
                    </button>
                    {a.id !== self.id && (
                      // Not disabled while it works: a disabled button drops the keyboard focus to the page.
                      <button
                        type="button"
                        class="secondary small"
                        // aria-disabled, not disabled: disabling it would drop its focus to <body>.
                        aria-disabled={pending === a.id}
                        aria-busy={pending === a.id}
                        onClick={() => {
                          if (pending !== a.id) a.active ? setConfirming(a) : void toggle(a);
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
      {confirming && (
        <Dialog
          role="alertdialog"
          title={`Deactivate ${confirming.name}?`}
          description="They are signed out at once and can no longer sign in. Their conversations and replies stay. You can activate them again later."
          onCancel={() => setConfirming(null)}
        >
          <div class="form-actions">
            <button type="button" class="secondary" data-autofocus onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button
              type="button"
              class="danger"
              onClick={() => {
                const agent = confirming;
                setConfirming(null);
                void toggle(agent);
              }}
            >
              Deactivate
            </button>
          </div>
        </Dialog>
      )}
      {editing && (
        <EditAgentDialog
          agent={editing}
          isSelf={editing.id === self.id}
          onSaved={put}
          onClose={() => setEditing(null)}
          endedSession={endedSession}
        />
      )}
      <form
        class="card settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <h3>New agent</h3>
        <FormError message={error} />
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

/**
 * An admin's changes to one agent: name and role in one form, a new password in another (that agent
 * is signed out everywhere). Their own password is not reset here: that needs the current one.
 */
function EditAgentDialog({
  agent,
  isSelf,
  onSaved,
  onClose,
  endedSession,
}: {
  agent: AgentRecord;
  isSelf: boolean;
  onSaved: (agent: AgentRecord) => void;
  onClose: () => void;
  endedSession: (err: unknown) => boolean;
}) {
  const [name, setName] = useState(agent.name);
  const [role, setRole] = useState(agent.role);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState('');
  const details = useSubmit();
  const reset = useSubmit();

  const saveDetails = () =>
    details.run(async () => {
      try {
        onSaved((await api.updateAgent(agent.id, { name, role })).agent);
      } catch (err) {
        endedSession(err);
        throw err;
      }
      onClose();
    });

  const resetPassword = () =>
    reset.run(async () => {
      setDone('');
      try {
        await api.resetAgentPassword(agent.id, password);
      } catch (err) {
        endedSession(err);
        throw err;
      }
      setPassword('');
      setDone(`Password reset. ${agent.name} was signed out everywhere; give them the new password privately.`);
    });

  return (
    <Dialog title={`Edit ${agent.name}`} onCancel={onClose}>
      <form
        class="settings-form dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveDetails();
        }}
      >
        <FormError message={details.error} />
        <FormField
          id="edit-agent-name"
          label="Name"
          required
          maxLength={MAX_NAME_LENGTH}
          autocomplete="off"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <SelectField
          id="edit-agent-role"
          label="Role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value === 'admin' ? 'admin' : 'agent')}
        >
          <option value="agent">Agent</option>
          <option value="admin">Admin</option>
        </SelectField>
        <div class="form-actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" aria-busy={details.busy}>
            Save changes
          </button>
        </div>
      </form>
      {!isSelf && (
        <form
          class="settings-form dialog-form"
          onSubmit={(e) => {
            e.preventDefault();
            void resetPassword();
          }}
        >
          <h3>Reset password</h3>
          <FormError message={reset.error} />
          <FormField
            id="edit-agent-password"
            label="New password"
            type="password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={MAX_PASSWORD_LENGTH}
            autocomplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. It signs ${agent.name} out everywhere.`}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <p class="save-status" role="status">
            {done}
          </p>
          <div class="form-actions">
            <button type="submit" class="secondary" aria-busy={reset.busy}>
              Reset password
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
