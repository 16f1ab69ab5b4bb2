// The emoji reactions on a message (Messenger): the person's and our page's, under the bubble. Each is
// read out as "Reacted with ❤️ by Ada"; the emoji is shown as text, never as markup or an image URL.
import type { Reaction } from '../../shared/protocol';

/** Who reacted, in words: the participant by the name the thread shows, our side as the team. */
const byWhom = (reaction: Reaction, visitorName: string) => (reaction.author === 'visitor' ? visitorName : 'your team');

export function MessageReactions({ reactions, visitorName }: { reactions: Reaction[]; visitorName: string }) {
  return (
    <ul class="reactions" aria-label="Reactions">
      {reactions.map((reaction, i) => {
        const label = `Reacted with ${reaction.emoji} by ${byWhom(reaction, visitorName)}`;
        return (
          <li key={i} class={`reaction ${reaction.author}`} title={label}>
            <span aria-hidden="true">{reaction.emoji}</span>
            <span class="visually-hidden">{label}</span>
          </li>
        );
      })}
    </ul>
  );
}
