// "Unverified" beside an email a visitor only typed: in words (never colour alone), with what it
// means on hover and, for screen readers, in the text itself (except in a list row, whose name it
// would drown).
export const UNVERIFIED_EXPLANATION =
  'The visitor typed this address and has not proved it is theirs. Replies can go to it, but it is not linked to a contact until they reply from that mailbox or your site signs it.';

export function UnverifiedMark({ brief = false }: { brief?: boolean }) {
  return (
    <span class="unverified-mark" title={UNVERIFIED_EXPLANATION}>
      Unverified{!brief && <span class="visually-hidden">: {UNVERIFIED_EXPLANATION}</span>}
    </span>
  );
}
