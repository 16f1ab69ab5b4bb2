// Personalization tags in replies and saved responses: `{{contact.first_name}}`, with an optional
// fallback `{{contact.first_name | there}}`. Shared so the inbox can warn before sending and the
// server fills them in on send; a tag that cannot be filled is an error, never sent raw.

export const TAG_NAMES = ['contact.first_name', 'contact.name', 'contact.email', 'agent.name'] as const;
export type TagName = (typeof TAG_NAMES)[number];

export interface TagValues {
  contact: { name: string | null; email: string | null };
  agent: { name: string };
}

export type FillResult = { ok: true; text: string } | { ok: false; error: string };

// `{{ name }}` or `{{ name | fallback }}`; the fallback may not contain braces.
const TAG_PATTERN = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

function valueOf(tag: TagName, values: TagValues): string | null {
  switch (tag) {
    case 'contact.name':
      return values.contact.name;
    case 'contact.first_name':
      return values.contact.name?.trim().split(/\s+/)[0] ?? null;
    case 'contact.email':
      return values.contact.email;
    case 'agent.name':
      return values.agent.name;
  }
}

const isTagName = (name: string): name is TagName => (TAG_NAMES as readonly string[]).includes(name);

/** Tags in `text` that Parley does not know, e.g. `{{contact.phone}}`. */
export function unknownTags(text: string): string[] {
  return [...text.matchAll(TAG_PATTERN)].map((m) => m[1] ?? '').filter((name) => !isTagName(name));
}

/** Fills every tag, or explains the first problem: an unknown tag, or a value with no fallback. */
export function fillTags(text: string, values: TagValues): FillResult {
  const unknown = unknownTags(text);
  if (unknown.length > 0) {
    const list = [...new Set(unknown)].map((name) => `{{${name}}}`).join(', ');
    return { ok: false, error: `Unknown tag ${list}. Known tags: ${TAG_NAMES.map((n) => `{{${n}}}`).join(', ')}` };
  }
  let missing: string | null = null;
  const filled = text.replace(TAG_PATTERN, (_whole, name: TagName, fallback: string | undefined) => {
    const value = valueOf(name, values)?.trim();
    if (value) return value;
    if (fallback !== undefined && fallback !== '') return fallback;
    missing ??= name;
    return '';
  });
  if (missing) {
    return { ok: false, error: `No value for {{${missing}}} in this conversation: add a fallback, e.g. {{${missing} | there}}` };
  }
  return { ok: true, text: filled };
}
