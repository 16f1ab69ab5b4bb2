// The thread header's "Complete" button, "Reopen" once the conversation is complete; the server's
// refusal, if any, shows beside it. Busy, it is aria-disabled rather than disabled: disabling the
// focused button would drop the focus to <body>.
import type { ConversationStatus } from '../../shared/protocol';
import { CheckIcon } from './icons';
import { useSubmit } from '../state/useSubmit';

interface Props {
  status: ConversationStatus;
  onSetStatus: (status: ConversationStatus) => Promise<void>;
}

export function StatusButton({ status, onSetStatus }: Props) {
  const { busy, error, run } = useSubmit();
  const complete = status === 'complete';
  return (
    <>
      {error && (
        <span class="header-error" role="alert">
          {error}
        </span>
      )}
      <button
        type="button"
        class="secondary"
        aria-disabled={busy}
        aria-busy={busy}
        onClick={() => void run(() => onSetStatus(complete ? 'open' : 'complete'))}
      >
        {!complete && <CheckIcon />}
        {complete ? 'Reopen' : 'Complete'}
      </button>
    </>
  );
}
