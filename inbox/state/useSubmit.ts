// Runs a form's async action once at a time and keeps the server's error for a visible alert.
import { useState } from 'preact/hooks';
import { describeError } from '../api/client';

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  const run = async (action: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setFailure(null);
    try {
      await action();
    } catch (err) {
      setError(describeError(err));
      setFailure(err);
      setBusy(false);
      return;
    }
    setBusy(false);
  };

  return { busy, error, failure, run };
}
