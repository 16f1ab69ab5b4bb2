// The shape of Meta's webhook POSTs, parsed at the boundary. Only the parts Parley acts on are read
// (text, attachments, echoes, delivery and read reports); other event types pass through unparsed.
// Lengths are bounded by the request size limit; messageContent.ts bounds what gets stored.
import { z } from 'zod';

const id = z.string().min(1).max(256);
const party = z.object({ id });
/** The watermark covers the rest; a longer list would only cost SQL parameters. */
const MAX_REPORTED_MIDS = 100;

/** `app_id` arrives as a JSON number; config holds it as a string. */
const appId = z.union([z.string(), z.number()]).transform(String);

export const messengerAttachment = z.object({
  type: z.string().max(64),
  // null for some types (e.g. a shared location has coordinates instead of a URL).
  payload: z
    .object({ url: z.string().optional(), title: z.string().optional() })
    .nullish(),
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

/** One event of an entry's `messaging` array. */
export const messagingEvent = z.object({
  sender: party,
  recipient: party,
  /** Absent on some delivery reports. */
  timestamp: z.number().int().nonnegative().optional(),
  message: messengerMessage.optional(),
  /** Messages up to `watermark` (and those listed in `mids`) reached the person's device. */
  delivery: z
    .object({ watermark: z.number().int().nonnegative(), mids: z.array(id).transform((mids) => mids.slice(0, MAX_REPORTED_MIDS)).optional() })
    .optional(),
  /** The person saw every message sent up to `watermark`. */
  read: z.object({ watermark: z.number().int().nonnegative() }).optional(),
});
export type MessagingEvent = z.infer<typeof messagingEvent>;

/**
 * The envelope: entries and their events are batched. Events stay `unknown` here so that one event
 * of an unexpected shape is skipped on its own instead of failing the whole batch.
 */
export const webhookBody = z.object({
  object: z.string(),
  entry: z.array(z.object({ id, time: z.number().optional(), messaging: z.array(z.unknown()).optional() })),
});
