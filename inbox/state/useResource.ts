// Loads one thing from the API for a Settings section and keeps the error to show; a failure that
// means the session ended leaves the inbox instead.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/client';

export function useResource<T>(load: () => Promise<T>, endedSession: (err: unknown) => boolean) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(null);
    } catch (err) {
      if (!endedSession(err)) setError(describeError(err));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, []);

  return { data, setData, error, reload };
}
