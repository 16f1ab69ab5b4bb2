// Settings › Profile, for every agent: their name and picture as the team and visitors see them, and
// their password (changing it signs out every other session of theirs).
import { useState } from 'preact/hooks';
import { MAX_AVATAR_BYTES, MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../shared/limits';
import type { AgentView } from '../../shared/protocol';
import { api, ApiRequestError } from '../api/client';
import { useTeam } from '../state/team';
import { useSubmit } from '../state/useSubmit';
import { Avatar } from './Avatar';
import { FormError, FormField } from './FormField';

const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const AVATAR_INPUT_ID = 'profile-avatar';

interface Props {
  agent: AgentView;
  endedSession: (err: unknown) => boolean;
}

/** Runs `action`, leaving the inbox first if the failure means the session is gone. */
const guarded = (endedSession: Props['endedSession'], action: () => Promise<void>) => async () => {
  try {
    await action();
  } catch (err) {
    endedSession(err);
    throw err;
  }
};

export function ProfileSettings({ agent, endedSession }: Props) {
  // The team news has the latest name and picture (changed here, or in another tab).
  const me = useTeam()?.find((m) => m.id === agent.id);
  const [name, setName] = useState(me?.name ?? agent.name);
  const [avatarUrl, setAvatarUrl] = useState(me ? me.avatarUrl : (agent.avatarUrl ?? null));
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const nameForm = useSubmit();
  const picture = useSubmit();
  const password = useSubmit();

  const saveName = () =>
    nameForm.run(
      guarded(endedSession, async () => {
        setDone(null);
        setName((await api.setName(name)).agent.name);
        setDone('Name saved.');
      }),
    );

  const upload = (file: File) =>
    picture.run(
      guarded(endedSession, async () => {
        setDone(null);
        if (!AVATAR_TYPES.includes(file.type)) throw new ApiRequestError('Choose a PNG, JPEG, WebP or GIF image.', 415);
        if (file.size > MAX_AVATAR_BYTES) throw new ApiRequestError('Use an image of at most 1 MB.', 413);
        setAvatarUrl((await api.uploadAvatar(file)).avatarUrl);
        setDone('Avatar saved.');
      }),
    );

  const remove = () =>
    picture.run(
      guarded(endedSession, async () => {
        setDone(null);
        await api.removeAvatar();
        setAvatarUrl(null);
        setDone('Avatar removed.');
        // The button is gone: keep the keyboard where the picture is chosen.
        document.getElementById(AVATAR_INPUT_ID)?.focus();
      }),
    );

  const changePassword = () =>
    password.run(
      guarded(endedSession, async () => {
        setDone(null);
        await api.changePassword(current, next);
        setCurrent('');
        setNext('');
        setDone('Password changed. Your other sessions are signed out.');
      }),
    );

  return (
    <section class="settings-section" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <p class="section-intro">How your team and your visitors see you. Visitors see your first name and picture while you are Available.</p>
      <p class="visually-hidden" role="status">
        {done}
      </p>
      <form
        class="card settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveName();
        }}
      >
        <h3>Name and avatar</h3>
        <FormError message={nameForm.error} />
        <div class="profile-row">
          <Avatar title={name || agent.name} seed={agent.id} size="lg" src={avatarUrl} />
          <FormField
            id="profile-name"
            label="Name"
            required
            maxLength={MAX_NAME_LENGTH}
            autocomplete="name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <FormError message={picture.error} />
        <div class="profile-row">
          <FormField
            id={AVATAR_INPUT_ID}
            label="Avatar"
            type="file"
            accept={AVATAR_TYPES.join(',')}
            hint="A PNG, JPEG, WebP or GIF image of at most 1 MB. Without one, your initials are shown."
            aria-busy={picture.busy}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = ''; // the same file again is a new choice
              if (file) void upload(file);
            }}
          />
          {avatarUrl && (
            <button type="button" class="secondary" disabled={picture.busy} onClick={() => void remove()}>
              Remove avatar
            </button>
          )}
        </div>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={nameForm.busy} aria-busy={nameForm.busy}>
            Save name
          </button>
        </div>
      </form>
      <form
        class="card settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void changePassword();
        }}
      >
        <h3>Password</h3>
        <FormError message={password.error} />
        <div class="field-row">
          <FormField
            id="profile-current-password"
            label="Current password"
            type="password"
            required
            maxLength={MAX_PASSWORD_LENGTH}
            autocomplete="current-password"
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
          <FormField
            id="profile-new-password"
            label="New password"
            type="password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={MAX_PASSWORD_LENGTH}
            autocomplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Your other sessions will be signed out.`}
            value={next}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={password.busy} aria-busy={password.busy}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
