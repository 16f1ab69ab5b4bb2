// What the page's live region says next (components/LiveAnnouncer.tsx renders it). Each announcement
// has its own id, so the same words said twice ("New message from Mia Wong") are heard twice.
import { useCallback, useRef, useState } from 'preact/hooks';

export interface Announcement {
  id: number;
  text: string;
}

export const newMessageFrom = (title: string): string => `New message from ${title}`;

export function useAnnouncer() {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const next = useRef(0);
  const announce = useCallback((text: string) => setAnnouncement({ id: ++next.current, text }), []);
  return { announcement, announce };
}
