// JSON objects whose last member was serialised elsewhere: a thread SQLite wrote as JSON and the
// history cache keeps as bytes. The other members are stringified here and the tail is copied in as
// it is, never parsed and stringified again (a 1,000-message thread is 180 KB).

const CLOSING_BRACE = Buffer.from('}');

/** The text of `{ ...head, [tailKey]: ` — everything of the object before its pre-serialised tail. */
export function openingBefore(tailKey: string, head: object): string {
  const members = JSON.stringify(head);
  return `${members.length > 2 ? `${members.slice(0, -1)},` : '{'}${JSON.stringify(tailKey)}:`;
}

/** The whole object as UTF-8: the opening, the tail's JSON, and the closing brace. */
export function withTail(opening: string, tailJson: string | Buffer): Buffer<ArrayBuffer> {
  const tail = typeof tailJson === 'string' ? Buffer.from(tailJson) : tailJson;
  return Buffer.concat([Buffer.from(opening), tail, CLOSING_BRACE]);
}
