// Where a location shared on Messenger is: coordinates from the payload, or read from the maps link of
// older and `fallback` shapes (Bing behind Facebook's redirect, Google, Apple, OpenStreetMap). Shown as
// numbers with an OpenStreetMap link built from them; never trusts a number that is not finite and in range.
import { z } from 'zod';
import type { Attachment } from '../../../shared/protocol';
import { linkTarget, shownTitle, urlAndTitle } from './sharedLink';
import type { MessengerAttachment } from './webhookPayload';

export interface Coordinates {
  lat: number;
  long: number;
}

/** Longer query values are not coordinates; nothing longer is matched against a pattern. */
const MAX_PAIR_LENGTH = 64;
/** Hosts whose links are maps: only these are read for coordinates. */
const MAP_HOSTS = /(^|\.)(bing\.com|google\.[a-z.]+|maps\.apple\.com|openstreetmap\.org|here\.com)$/;
/** Query parameters that map sites put a "lat,long" pair in. */
const PAIR_PARAMS = ['where1', 'cp', 'q', 'll', 'query', 'center', 'sll', 'daddr'];

/** A number, or a string of one (never null or "" read as 0). */
const degrees = z.union([z.number(), z.string().trim().min(1).max(MAX_PAIR_LENGTH).transform(Number)]);
const coordinatesPayload = z.object({ lat: degrees, long: degrees });

/** Finite and on the globe, or null. */
export function validCoordinates(lat: number, long: number): Coordinates | null {
  if (!Number.isFinite(lat) || !Number.isFinite(long)) return null;
  if (lat < -90 || lat > 90 || long < -180 || long > 180) return null;
  return { lat, long };
}

/** "52.520008,13.404954", "52.52, 13.40", "52.52~13.40" → coordinates. */
function pairIn(text: string | null): Coordinates | null {
  if (!text || text.length > MAX_PAIR_LENGTH) return null;
  const match = /^\s*(-?\d{1,3}(?:\.\d{1,15})?)\s*[,~ ]\s*(-?\d{1,3}(?:\.\d{1,15})?)\s*$/.exec(text);
  return match ? validCoordinates(Number(match[1]), Number(match[2])) : null;
}

/** Coordinates in a maps link, or null when it is no maps link or names a place by words only. */
export function coordinatesInMapLink(raw: string | undefined): Coordinates | null {
  const url = linkTarget(raw);
  if (!url || !MAP_HOSTS.test(url.hostname)) return null;
  const params = url.searchParams;
  const osm = pairIn(`${params.get('mlat') ?? ''},${params.get('mlon') ?? ''}`);
  if (osm) return osm;
  for (const name of PAIR_PARAMS) {
    const found = pairIn(params.get(name));
    if (found) return found;
  }
  // Google's /maps/@52.52,13.40,15z and /maps/place/…/@52.52,13.40,15z.
  const at = url.pathname.split('/').find((part) => part.startsWith('@'));
  return at ? pairIn(at.slice(1).split(',').slice(0, 2).join(',')) : null;
}

/** The location an attachment shares: its payload's coordinates, else those in its maps link. */
export function coordinatesOf(attachment: MessengerAttachment): Coordinates | null {
  const payload = coordinatesPayload.safeParse(attachment.payload?.coordinates);
  if (payload.success) {
    const found = validCoordinates(payload.data.lat, payload.data.long);
    if (found) return found;
  }
  return coordinatesInMapLink(urlAndTitle(attachment).url);
}

/** Six decimals are about 10 cm: more is noise, and it keeps the text short. */
const shown = (n: number) => String(Number(n.toFixed(6)));

export function formatCoordinates({ lat, long }: Coordinates): string {
  return `${shown(lat)}, ${shown(long)}`;
}

/** An https OpenStreetMap link to the point, built from the numbers alone. */
export function mapLink({ lat, long }: Coordinates): string {
  const [la, lo] = [shown(lat), shown(long)];
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=16/${la}/${lo}`;
}

/**
 * A shared location as the inbox shows it: a map link named by its coordinates, and the words for the
 * message ("Location: 52.520008, 13.404954"). Null when the attachment names no point on the globe.
 */
export function sharedLocation(attachment: MessengerAttachment): { attachment: Attachment; summary: string } | null {
  const point = coordinatesOf(attachment);
  if (!point) return null;
  const where = formatCoordinates(point);
  const title = shownTitle(urlAndTitle(attachment).title);
  return {
    attachment: { type: 'location', url: mapLink(point), name: `${where} on OpenStreetMap` },
    summary: title ? `Location (${title}): ${where}` : `Location: ${where}`,
  };
}
