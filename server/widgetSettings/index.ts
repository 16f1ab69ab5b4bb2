// Settings → Widget: what an admin set (stored under 'widget', parsed with zod on the way in and on
// every read from the database), held in memory until the next save, and resolved for visitors:
// text colour, open or closed now. Open widgets hear of a save, and of business hours opening or
// closing, through FanOut. Never reads the environment: PARLEY_ALLOWED_ORIGINS arrives in config.
import {
  widgetSettingsBody,
  type VisitorWidgetSettings,
  type WidgetSettings,
  type WidgetSettingsView,
} from '../../shared/protocol';
import { textColorOn, WHITE_TEXT, WIDGET_DEFAULTS } from '../../shared/widgetLook';
import type { FanOut } from '../realtime/fanOut';
import type { Storage } from '../storage';
import { isOpenAt, nextChangeAfter } from './businessHours';

const KEY = 'widget';
/**
 * The hours timer never waits longer than this: a timer counts elapsed time, so after the system
 * clock is set (or the machine slept) it would fire at the wrong wall-clock time; this bounds that.
 */
const MAX_TIMER_MS = 60 * 60_000;

export interface WidgetSettingsDeps {
  storage: Storage;
  fanOut: FanOut;
  /** PARLEY_ALLOWED_ORIGINS: when set, it wins over the stored allowed origins. */
  envAllowedOrigins: string[] | null;
  /** PARLEY_EMAIL_PROMPT_DELAY_MS: the email prompt's delay until an admin saves another. */
  defaultEmailPromptDelayMs: number;
  now: () => number;
}

export interface WidgetSettingsService {
  /** What the admin set, or the defaults. */
  settings(): WidgetSettings;
  /** For Settings → Widget: the settings and what follows from them. */
  view(): WidgetSettingsView;
  /** Stores already-validated settings and tells every open widget. */
  save(settings: WidgetSettings): Promise<WidgetSettingsView>;
  /** What a widget needs (the welcome frame): built once per change, not per visitor. */
  forVisitor(): VisitorWidgetSettings;
  /** Origins whose pages may open visitor sockets; null: any. */
  allowedOrigins(): string[] | null;
  /** Stops the business-hours timer (server shutdown). */
  stop(): void;
}

export function defaultWidgetSettings(emailPromptDelayMs: number): WidgetSettings {
  return {
    title: WIDGET_DEFAULTS.title,
    subtitle: WIDGET_DEFAULTS.subtitle,
    greeting: WIDGET_DEFAULTS.greeting,
    color: WIDGET_DEFAULTS.color,
    position: 'right',
    hours: null,
    timeZone: 'UTC',
    outsideHoursText: WIDGET_DEFAULTS.outsideHoursText,
    emailPromptDelaySeconds: emailPromptDelayMs / 1000,
    allowedOrigins: [],
  };
}

const SETTINGS_SIGNAL = 'widget-settings';

/** Reads the stored settings once, before anything asks for them; each save or signal reads or sets them again. */
export async function createWidgetSettings({
  storage,
  fanOut,
  envAllowedOrigins,
  defaultEmailPromptDelayMs,
  now,
}: WidgetSettingsDeps): Promise<WidgetSettingsService> {
  let visitorView: VisitorWidgetSettings | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const load = async (): Promise<WidgetSettings> => {
    const stored = await storage.settings.get(KEY);
    if (stored === undefined) return defaultWidgetSettings(defaultEmailPromptDelayMs);
    const parsed = widgetSettingsBody.safeParse(stored);
    if (parsed.success) return parsed.data;
    // Written by an older version or by hand: the widget keeps working on the defaults.
    console.error('[parley] stored widget settings are invalid, using the defaults:', parsed.error.issues[0]?.message);
    return defaultWidgetSettings(defaultEmailPromptDelayMs);
  };

  let current = await load();
  const settings = () => current;

  const resolve = (s: WidgetSettings): VisitorWidgetSettings => ({
    title: s.title,
    subtitle: s.subtitle,
    greeting: s.greeting,
    color: s.color,
    // The schema refused colours no text colour suits; white covers a stored value from before that rule.
    textColor: textColorOn(s.color).textColor ?? WHITE_TEXT,
    position: s.position,
    open: isOpenAt(s.hours, s.timeZone, now()),
    outsideHoursText: s.outsideHoursText,
    askEmailAfterMs: Math.round(s.emailPromptDelaySeconds * 1000),
  });

  /** Recomputes the visitor view now, and sets the timer for the next time business hours open or close. */
  const refresh = (): VisitorWidgetSettings => {
    const s = settings();
    visitorView = resolve(s);
    clearTimeout(timer);
    const next = nextChangeAfter(s.hours, s.timeZone, now());
    if (next !== null) {
      timer = setTimeout(onTimer, Math.min(Math.max(next - now(), 0), MAX_TIMER_MS));
      timer.unref?.();
    }
    return visitorView;
  };

  const onTimer = () => {
    const wasOpen = visitorView?.open;
    const view = refresh();
    // Every process has this timer: each tells its own widgets.
    if (view.open !== wasOpen) fanOut.toAllVisitorsHere({ type: 'settings', settings: view });
  };

  /** This process saved them: its copy in memory is already what was written. */
  let savedHere = false;
  // Saved on some process (this one too): the others read them again; each tells its own widgets.
  fanOut.onSignal(SETTINGS_SIGNAL, () => {
    const tellWidgets = () => fanOut.toAllVisitorsHere({ type: 'settings', settings: refresh() });
    if (savedHere) {
      savedHere = false;
      return tellWidgets();
    }
    load().then(
      (next) => {
        current = next;
        tellWidgets();
      },
      (err: unknown) => console.error('[parley] could not read the widget settings again:', err),
    );
  });

  const view = (): WidgetSettingsView => {
    const s = settings();
    return {
      settings: s,
      textColor: forVisitor().textColor,
      envAllowedOrigins,
      openNow: forVisitor().open,
    };
  };

  const forVisitor = () => visitorView ?? refresh();

  return {
    settings,
    view,
    async save(next) {
      await storage.settings.put(KEY, next, now());
      current = next;
      savedHere = true;
      fanOut.signal(SETTINGS_SIGNAL);
      await fanOut.sent(); // answered once every process will apply it
      return view();
    },
    forVisitor,
    allowedOrigins() {
      if (envAllowedOrigins) return envAllowedOrigins;
      const stored = settings().allowedOrigins;
      return stored.length > 0 ? stored : null;
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
