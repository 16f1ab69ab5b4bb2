// The reply's channel, above the reply box: a select of what this conversation can be answered on, the
// address an email goes to, and why any option is greyed out ("Email: No email address known…").
import type { ChannelOption } from '../../shared/channels';
import type { Channel } from '../../shared/protocol';

interface Props {
  options: ChannelOption[];
  channel: Channel;
  onPick: (channel: Channel) => void;
  /** Where an email reply goes, shown beside the select while Email is chosen. */
  email: string | null;
}

const SELECT_ID = 'reply-channel';
const NOTES_ID = 'reply-channel-notes';

export function ChannelPicker({ options, channel, onPick, email }: Props) {
  const unavailable = options.filter((o) => !o.enabled && o.reason);
  return (
    <div class="channel-picker">
      <label for={SELECT_ID}>Channel</label>
      <select
        id={SELECT_ID}
        value={channel}
        aria-describedby={unavailable.length > 0 ? NOTES_ID : undefined}
        onChange={(e) => onPick(e.currentTarget.value as Channel)}
      >
        {options.map((o) => (
          <option key={o.channel} value={o.channel} disabled={!o.enabled}>
            {o.label}
          </option>
        ))}
      </select>
      {channel === 'email' && email && <span class="channel-to">to {email}</span>}
      {unavailable.length > 0 && (
        <span id={NOTES_ID} class="channel-reasons">
          {unavailable.map((o) => (
            <span key={o.channel} class="channel-reason">{`${o.label}: ${o.reason}`}</span>
          ))}
        </span>
      )}
    </div>
  );
}
