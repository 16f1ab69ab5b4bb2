// The shape of Meta's webhook POSTs, parsed at the boundary. Only the parts Parley acts on are read
// (text, attachments, echoes, postbacks, edits, reactions, delivery and read reports); other event
// kinds pass through unparsed and are logged once (ignoredEvents.ts). Lengths are bounded by the
// request size limit; messageContent.ts and its neighbours bound what gets stored.
import { z } from 'zod';

const id = z.string().min(1).max(256);
const party = z.object({ id });
/** The watermark covers the rest; a longer list would only cost SQL parameters. */
const MAX_REPORTED_MIDS = 100;

/** `app_id` arrives as a JSON number; config holds it as a string. */
const appId = z.union([z.string(), z.number()]).transform(String);

/** A string Meta may also send as null; either way absent. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined)
  .optional();

export const messengerAttachment = z.object({
  type: z.string().max(64),
  // Older shapes (a shared location or link) carry the title and a URL beside the payload.
  title: optionalText,
  url: optionalText,
  // null for some types (an unsupported share); a location has coordinates, checked in sharedLocation.ts.
  payload: z
    .object({ url: optionalText, title: optionalText, coordinates: z.unknown().optional() })
    .nullish()
    // Anything else (a payload that is not an object) is no payload: the message itself still counts.
    .catch(null),
});
export type MessengerAttachment = z.infer<typeof messengerAttachment>;

export const messengerMessage = z.object({
  mid: id,
  text: z.string().optional(),
  attachments: z.array(messengerAttachment).optional(),
  /** Our page's own message, sent by us, by Meta Business Suite, or by another app. */
  is_echo: z.boolean().optional(),
  app_id: appId.optional(),
});

/**
 * Milliseconds since the epoch. Meta sends a number of milliseconds; some documented samples show a
 * string, or seconds, which are read the same way.
 */
const timestamp = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,16}$/).transform(Number)])
  .transform((t) => (t < 100_000_000_000 ? t * 1000 : t));

/** A button tap (Get Started, a persistent-menu item, a postback button): the person's words are its title. */
export const messengerPostback = z.object({
  mid: id.optional(),
  title: optionalText,
  payload: optionalText,
});

/** The person changed the text of a message they sent (Messenger allows five edits). */
export const messengerEdit = z.object({
  mid: id,
  text: optionalText,
  num_edit: z.union([z.number(), z.string()]).optional(),
});

/** The person (or, echo-like, our page) reacted to a message or took the reaction back. */
export const messengerReaction = z.object({
  mid: id,
  action: z.enum(['react', 'unreact']),
  emoji: optionalText,
  /** smile, angry, sad, wow, love, like, dislike or other. */
  reaction: optionalText,
});
export type MessengerReaction = z.infer<typeof messengerReaction>;

/** One event of an entry's `messaging` array. */
export const messagingEvent = z.object({
  sender: party,
  recipient: party,
  /** Absent on some delivery reports. */
  timestamp: timestamp.optional(),
  message: messengerMessage.optional(),
  /** Messages up to `watermark` (and those listed in `mids`) reached the person's device. */
  delivery: z
    .object({ watermark: z.number().int().nonnegative(), mids: z.array(id).transform((mids) => mids.slice(0, MAX_REPORTED_MIDS)).optional() })
    .optional(),
  /** The person saw every message sent up to `watermark`. */
  read: z.object({ watermark: z.number().int().nonnegative() }).optional(),
  postback: messengerPostback.optional(),
  message_edit: messengerEdit.optional(),
  reaction: messengerReaction.optional(),
});
export type MessagingEvent = z.infer<typeof messagingEvent>;

/**
 * The envelope: entries and their events are batched. Events stay `unknown` here so that one event
 * of an unexpected shape is skipped on its own instead of failing the whole batch.
 */
export const webhookBody = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id,
      time: z.number().optional(),
      messaging: z.array(z.unknown()).optional(),
      /** Events for a conversation another app owns (handover protocol): Parley does not act on them. */
      standby: z.array(z.unknown()).optional(),
    }),
  ),
});
