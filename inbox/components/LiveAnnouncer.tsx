// The inbox's one polite live region, for news a screen reader should hear without the focus moving
// (a visitor writing in another conversation). It is always in the DOM, since a region inserted along
// with its text is not announced; each announcement is a new node inside it.
import type { Announcement } from '../state/useAnnouncer';

export function LiveAnnouncer({ announcement }: { announcement: Announcement | null }) {
  return (
    <div class="visually-hidden" aria-live="polite">
      {announcement && <p key={announcement.id}>{announcement.text}</p>}
    </div>
  );
}
