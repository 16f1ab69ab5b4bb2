// The browser tab says how many conversations wait unread: "(3) Parley Inbox", plain once none do.
import { useEffect } from 'preact/hooks';

export const PAGE_TITLE = 'Parley Inbox';

export function useUnreadTitle(unread: number): void {
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${PAGE_TITLE}` : PAGE_TITLE;
    return () => {
      document.title = PAGE_TITLE;
    };
  }, [unread]);
}
