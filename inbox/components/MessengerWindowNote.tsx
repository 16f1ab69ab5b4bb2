// Messenger's reply window, under the channel picker: the time left for a normal reply, then the
// HUMAN_AGENT tag the agent must opt into (up to 7 days), then why nothing can be sent at all.
import type { MessengerWindow } from '../../shared/channels';
import { fullTime, timeLeft } from './format';

interface Props {
  replyWindow: MessengerWindow;
  now: number;
  tagged: boolean;
  onTagged: (tagged: boolean) => void;
}

export function MessengerWindowNote({ replyWindow: w, now, tagged, onTagged }: Props) {
  switch (w.state) {
    case 'standard':
      return (
        <p class="channel-note" title={`Messenger allows a normal reply until ${fullTime(w.until)}`}>
          {`${timeLeft(w.until - now)} left to reply`}
        </p>
      );
    case 'humanAgent':
      return (
        <div class="channel-note warning">
          <p>{`More than 24 hours since their last message: Messenger only allows a reply with the HUMAN_AGENT tag, until ${fullTime(w.until)}`}</p>
          <label class="checkbox">
            <input type="checkbox" checked={tagged} onChange={(e) => onTagged(e.currentTarget.checked)} />
            Send with the HUMAN_AGENT tag
          </label>
        </div>
      );
    case 'closed':
      return (
        <p class="channel-note blocked">
          Messenger’s reply window is closed: nothing can be sent until they write again.
        </p>
      );
  }
}
