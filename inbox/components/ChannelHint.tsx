// The muted "Email" / "Messenger" after the name of a conversation that did not start in the widget, in
// the list, the search results and the thread's header. Web chats carry none: they are the usual case.
import type { ParticipantKind } from '../../shared/protocol';
import { channelLabel } from './format';

export function ChannelHint({ kind }: { kind: ParticipantKind }) {
  if (kind === 'web') return null;
  return <span class="channel-hint">{channelLabel(kind)}</span>;
}
