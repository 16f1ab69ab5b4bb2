// "Edited" beside a message its sender changed after sending (Messenger edits), with when, so an agent
// knows the words on screen are not the first ones. Text only; it never shows the old words.
import { fullTime } from './format';

export function EditedMark({ at }: { at: number }) {
  const when = fullTime(at);
  return (
    <span class="edited-mark" title={`Edited ${when}`}>
      Edited
      <span class="visually-hidden">{` ${when}`}</span>
    </span>
  );
}
