import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { storedContent } from './messageContent';
import { coordinatesInMapLink, mapLink, sharedLocation } from './sharedLocation';
import { messagingEvent, type MessengerAttachment } from './webhookPayload';

/** The attachments of a corpus fixture, parsed as the webhook parses them. */
function fixtureAttachments(name: string): MessengerAttachment[] {
  const raw: unknown = JSON.parse(readFileSync(new URL(`../../testing/corpus/messenger/${name}`, import.meta.url), 'utf8'));
  return messagingEvent.parse(raw).message!.attachments!;
}

describe('a shared location', () => {
  it('shows the coordinates with an OpenStreetMap link, not "[Location]"', () => {
    const content = storedContent({ attachments: fixtureAttachments('location-coordinates.json') })!;
    expect(content.body).toBe("Location (Ken's Location): 48.133637, 11.580985");
    expect(content.attachments).toEqual([
      {
        type: 'location',
        url: 'https://www.openstreetmap.org/?mlat=48.133637&mlon=11.580985#map=16/48.133637/11.580985',
        name: '48.133637, 11.580985 on OpenStreetMap',
      },
    ]);
  });

  it('reads the coordinates from the maps link of a fallback that has no payload coordinates', () => {
    const content = storedContent({ attachments: fixtureAttachments('location-fallback-maps-url.json') })!;
    expect(content.body).toBe('Location (Pinned Location): -33.431012, -70.57618');
    expect(content.attachments[0]!.url).toBe('https://www.openstreetmap.org/?mlat=-33.431012&mlon=-70.57618#map=16/-33.431012/-70.57618');
  });

  it('prefers the payload coordinates when the maps link names an address in words', () => {
    const content = storedContent({ attachments: fixtureAttachments('location-address-only.json') })!;
    expect(content.body).toBe('Location (Foo location): 52.440434, 16.912738');
  });

  it('never turns numbers out of range, infinite or not numbers at all into a map link', () => {
    const [attachment] = fixtureAttachments('location-out-of-range.json');
    expect(sharedLocation(attachment!)).toBeNull();
    for (const coordinates of [{ lat: 91, long: 0 }, { lat: 0, long: -180.5 }, { lat: null, long: null }, { lat: '', long: '' }, 'x']) {
      expect(sharedLocation({ type: 'location', payload: { coordinates } })).toBeNull();
    }
    expect(storedContent({ attachments: [attachment!] })!.body).toBe('[Location without coordinates]');
  });

  it('reads the maps links people paste from Google, Apple and OpenStreetMap, and no other site', () => {
    expect(coordinatesInMapLink('https://www.google.com/maps/@52.5200066,13.404954,15z')).toEqual({ lat: 52.5200066, long: 13.404954 });
    expect(coordinatesInMapLink('https://maps.google.com/maps?q=40.6892,-74.0445')).toEqual({ lat: 40.6892, long: -74.0445 });
    expect(coordinatesInMapLink('https://maps.apple.com/?ll=37.3349,-122.0090&q=Apple%20Park')).toEqual({ lat: 37.3349, long: -122.009 });
    expect(coordinatesInMapLink('https://www.openstreetmap.org/?mlat=51.5007&mlon=-0.1246#map=17/51.5007/-0.1246')).toEqual({ lat: 51.5007, long: -0.1246 });
    expect(coordinatesInMapLink('https://evil.example/maps?q=40.6892,-74.0445')).toBeNull();
    expect(coordinatesInMapLink('https://www.bing.com/maps?where1=Main%20Street%2C%20Springfield')).toBeNull();
  });

  it('builds the map link from the numbers alone', () => {
    expect(mapLink({ lat: -0.0000001, long: 179.9999999 })).toBe('https://www.openstreetmap.org/?mlat=0&mlon=180#map=16/0/180');
  });
});

describe('a shared link', () => {
  it('shows a fallback link by its title', () => {
    const content = storedContent({ attachments: fixtureAttachments('link-fallback-payload.json') })!;
    expect(content).toEqual({
      body: 'Shared a link: Why we self-host our support chat',
      attachments: [{ type: 'link', url: 'https://www.example.org/blog/2023/why-self-hosted-chat', name: 'Why we self-host our support chat' }],
    });
  });

  it('reads the older shape (title and url beside the payload) and unwraps Facebook’s redirect', () => {
    const content = storedContent({ text: 'have a look at this', attachments: fixtureAttachments('link-fallback-attachment-level.json') })!;
    expect(content).toEqual({
      body: 'have a look at this',
      attachments: [{ type: 'link', url: 'https://news.example.com/parley/release-notes?ref=messenger', name: 'Parley release notes' }],
    });
  });

  it('links only http(s) addresses; a hostile title stays words', () => {
    const content = storedContent({ attachments: fixtureAttachments('link-fallback-hostile.json') })!;
    expect(content).toEqual({ body: '[Shared content]', attachments: [] });
    const wrapped = storedContent({
      attachments: [{ type: 'fallback', url: 'https://l.facebook.com/l.php?u=javascript%3Aalert(1)', title: '<b>hi</b>' }],
    })!;
    // The redirect itself is http(s): it stays the link, its javascript: target is never linked.
    expect(wrapped.attachments).toEqual([{ type: 'link', url: 'https://l.facebook.com/l.php?u=javascript%3Aalert(1)', name: '<b>hi</b>' }]);
  });

  it('says something for an unsupported share that carries nothing', () => {
    expect(storedContent({ attachments: fixtureAttachments('fallback-unsupported-share.json') })).toEqual({ body: '[Shared content]', attachments: [] });
  });
});
