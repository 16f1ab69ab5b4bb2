// The current time, refreshed on an interval, so relative times ("5m") age while the page stays open.
import { useEffect, useState } from 'preact/hooks';

export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
