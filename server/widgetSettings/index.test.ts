// The widget settings service on a real SQLite file: defaults, validation of what is read back,
// the in-memory copy, and the frames open widgets get on a save and when business hours turn.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VisitorServerFrame, WidgetSettings } from '../../shared/protocol';
import { DARK_TEXT } from '../../shared/widgetLook';
import type { FanOut } from '../realtime/fanOut';
import { openSqliteStorage, type OpenSqliteStorage } from '../storage/sqlite';
import { createWidgetSettings, defaultWidgetSettings, type WidgetSettingsService } from '.';

let opened: OpenSqliteStorage;
let sent: VisitorServerFrame[];
let service: WidgetSettingsService;
let clock: number;

// What the service uses of the fan-out: its own widgets, and signals (heard here at once, as in one process).
const signals = new Map<string, () => void>();
/** What sent() answers: settled at once, unless a test holds the signal back as Redis might. */
let signalGone: Promise<void> = Promise.resolve();
const fanOut = {
  toAllVisitorsHere: (frame: VisitorServerFrame) => sent.push(frame),
  signal: (topic: string) => signals.get(topic)?.(),
  onSignal: (topic: string, listener: () => void) => signals.set(topic, listener),
  sent: () => signalGone,
} as unknown as FanOut;

async function start(envAllowedOrigins: string[] | null = null) {
  service = await createWidgetSettings({ storage: opened.storage, fanOut, envAllowedOrigins, defaultEmailPromptDelayMs: 60_000, now: () => clock });
  return service;
}

beforeEach(() => {
  opened = openSqliteStorage(join(mkdtempSync(join(tmpdir(), 'parley-widget-')), 'parley.db'), { indexSearch: false });
  sent = [];
  signalGone = Promise.resolve();
  clock = Date.parse('2026-12-03T12:00:00Z'); // a Thursday
});
afterEach(async () => {
  service.stop();
  vi.useRealTimers();
  await opened.close();
});

const weekdaysInUtc = (from: string, to: string): WidgetSettings['hours'] => ({
  mon: { from, to },
  tue: { from, to },
  wed: { from, to },
  thu: { from, to },
  fri: { from, to },
  sat: null,
  sun: null,
});

describe('widget settings', () => {
  it('starts from the defaults, with the email prompt delay from the configuration', async () => {
    await start();
    expect(service.settings()).toEqual(defaultWidgetSettings(60_000));
    expect(service.forVisitor()).toMatchObject({ title: 'Chat with us', open: true, askEmailAfterMs: 60_000, textColor: '#ffffff' });
  });

  it('keeps what was saved across a restart', async () => {
    await (await start()).save({ ...defaultWidgetSettings(60_000), title: 'Talk to Acme', emailPromptDelaySeconds: 30 });
    service.stop();
    expect((await start()).forVisitor()).toMatchObject({ title: 'Talk to Acme', askEmailAfterMs: 30_000 });
  });

  it('falls back to the defaults when the stored value does not parse', async () => {
    await opened.storage.settings.put('widget', { title: 42 }, clock);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await start()).settings().title).toBe('Chat with us');
  });

  it('reads the database once; a save replaces the copy in memory without reading it back', async () => {
    const get = vi.spyOn(opened.storage.settings, 'get');
    await start();
    service.settings();
    service.forVisitor();
    service.view();
    expect(get).toHaveBeenCalledTimes(1);
    await service.save({ ...service.settings(), title: 'New' });
    expect(service.settings().title).toBe('New');
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('reads them again when another process saved, and tells its own widgets', async () => {
    await start();
    // What a save on another process leaves: the new value stored, and the signal.
    await opened.storage.settings.put('widget', { ...defaultWidgetSettings(60_000), title: 'Saved elsewhere' }, clock);
    fanOut.signal('widget-settings');
    await vi.waitFor(() => expect(service.settings().title).toBe('Saved elsewhere'));
    expect(sent).toEqual([{ type: 'settings', settings: expect.objectContaining({ title: 'Saved elsewhere' }) }]);
  });

  it('answers a save once the other processes will hear of it', async () => {
    await start();
    let release!: () => void;
    signalGone = new Promise((resolve) => (release = resolve));
    let answered = false;
    const saved = service.save({ ...defaultWidgetSettings(60_000), title: 'Talk to Acme' }).then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    release();
    await saved;
    expect(service.settings().title).toBe('Talk to Acme');
  });

  it('tells every open widget about a save, with dark text on a light colour', async () => {
    await (await start()).save({ ...defaultWidgetSettings(60_000), color: '#facc15' });
    expect(sent).toEqual([{ type: 'settings', settings: expect.objectContaining({ color: '#facc15', textColor: DARK_TEXT }) }]);
  });

  it('tells open widgets when business hours close and open, at the boundary', async () => {
    vi.useFakeTimers({ now: clock });
    service = await createWidgetSettings({
      storage: opened.storage,
      fanOut,
      envAllowedOrigins: null,
      defaultEmailPromptDelayMs: 60_000,
      now: () => Date.now(),
    });
    await service.save({ ...defaultWidgetSettings(60_000), hours: weekdaysInUtc('09:00', '17:30') });
    expect(sent.at(-1)).toMatchObject({ settings: { open: true } });
    sent = [];

    vi.advanceTimersByTime(5.5 * 3_600_000 - 1); // 17:29:59.999
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ type: 'settings', settings: expect.objectContaining({ open: false }) }]);
    expect(service.forVisitor().open).toBe(false);

    vi.advanceTimersByTime(15.5 * 3_600_000); // Friday 09:00
    expect(sent.at(-1)).toMatchObject({ settings: { open: true } });
    expect(sent).toHaveLength(2);
  });

  it('lets the settings restrict origins unless PARLEY_ALLOWED_ORIGINS is set', async () => {
    await start();
    expect(service.allowedOrigins()).toBeNull();
    await service.save({ ...defaultWidgetSettings(60_000), allowedOrigins: ['https://shop.example'] });
    expect(service.allowedOrigins()).toEqual(['https://shop.example']);
    service.stop();
    expect((await start(['https://env.example'])).allowedOrigins()).toEqual(['https://env.example']);
  });
});
