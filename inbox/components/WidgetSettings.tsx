// Settings › Widget (admins only): what the widget on the site says and looks like, when the team is
// open, and which sites may embed it. A save reaches widgets already open on visitors' screens; the
// server refuses what it must (a colour no text is readable on) and each refusal shows by its field.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  MAX_ALLOWED_ORIGINS,
  MAX_EMAIL_PROMPT_DELAY_SECONDS,
  MAX_OUTSIDE_HOURS_TEXT_LENGTH,
  MAX_WIDGET_GREETING_LENGTH,
  MAX_WIDGET_SUBTITLE_LENGTH,
  MAX_WIDGET_TITLE_LENGTH,
  WEEKDAYS,
  type Weekday,
  type WidgetSettings as Settings,
  type WidgetSettingsView,
} from '../../shared/protocol';
import { textColorOn } from '../../shared/widgetLook';
import { api, ApiRequestError, describeError } from '../api/client';
import { useResource } from '../state/useResource';
import { errorId, FormError, FormField, SelectField, TextareaField } from './FormField';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

interface Day {
  closed: boolean;
  from: string;
  to: string;
}

/** The form as typed: hours kept per day even while closed or unused, numbers and lists as text. */
interface Draft {
  title: string;
  subtitle: string;
  greeting: string;
  color: string;
  position: Settings['position'];
  useHours: boolean;
  days: Record<Weekday, Day>;
  timeZone: string;
  outsideHoursText: string;
  delay: string;
  origins: string;
}

/** What ticking "Use business hours" starts from when none were set: weekdays nine to five. */
const usualDay = (day: Weekday): Day => ({ closed: day === 'sat' || day === 'sun', from: '09:00', to: '17:00' });

function toDraft(s: Settings): Draft {
  const days = Object.fromEntries(
    WEEKDAYS.map((d) => {
      if (!s.hours) return [d, usualDay(d)];
      const hours = s.hours[d];
      return [d, hours ? { closed: false, ...hours } : { ...usualDay(d), closed: true }];
    }),
  ) as Record<Weekday, Day>;
  return {
    title: s.title,
    subtitle: s.subtitle,
    greeting: s.greeting,
    color: s.color,
    position: s.position,
    useHours: s.hours !== null,
    days,
    timeZone: s.timeZone,
    outsideHoursText: s.outsideHoursText,
    delay: String(s.emailPromptDelaySeconds),
    origins: s.allowedOrigins.join('\n'),
  };
}

/** The request body; the server checks every part of it. */
function fromDraft(d: Draft): Settings {
  return {
    title: d.title,
    subtitle: d.subtitle,
    greeting: d.greeting,
    color: d.color.trim(),
    position: d.position,
    hours: d.useHours
      ? (Object.fromEntries(WEEKDAYS.map((w) => [w, d.days[w].closed ? null : { from: d.days[w].from, to: d.days[w].to }])) as Settings['hours'])
      : null,
    timeZone: d.timeZone,
    outsideHoursText: d.outsideHoursText,
    emailPromptDelaySeconds: d.delay.trim() === '' ? Number.NaN : Number(d.delay),
    allowedOrigins: d.origins
      .split(/[\s,]+/)
      .map((o) => o.trim())
      .filter(Boolean),
  };
}

/** Which control a server issue belongs to: 'hours.mon.to' → 'hours.mon', 'allowedOrigins.2' → 'allowedOrigins'. */
const fieldOf = (path: string) => (path.startsWith('hours.') ? path.split('.').slice(0, 2).join('.') : path.split('.')[0]!);

/** Every zone this browser knows, with the one stored first if it does not (Intl may omit "UTC"). */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return known.includes(current) ? known : [current, ...known];
}

const isHex = (c: string) => /^#[0-9a-fA-F]{6}$/.test(c.trim());

export function WidgetSettings({ endedSession }: { endedSession: (err: unknown) => boolean }) {
  const loaded = useResource(api.widgetSettings, endedSession);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (loaded.data && !draft) setDraft(toDraft(loaded.data.settings));
  }, [loaded.data]);

  // After a refused save, take the keyboard to the first field the server named.
  useEffect(() => {
    const first = Object.keys(errors)[0];
    if (first) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const change = (changes: Partial<Draft>) => {
    setDraft((d) => (d ? { ...d, ...changes } : d));
    setStatus('');
  };
  const changeDay = (day: Weekday, changes: Partial<Day>) =>
    setDraft((d) => (d ? { ...d, days: { ...d.days, [day]: { ...d.days[day], ...changes } } } : d));

  const save = async () => {
    if (!draft || busy) return;
    setBusy(true);
    setErrors({});
    setFormError(null);
    setStatus('');
    try {
      const view: WidgetSettingsView = await api.saveWidgetSettings(fromDraft(draft));
      loaded.setData(view);
      setDraft(toDraft(view.settings));
      setStatus('Widget settings saved. Widgets open on your site show them now.');
    } catch (err) {
      if (endedSession(err)) return;
      const issues = err instanceof ApiRequestError ? err.issues : [];
      const byField: Record<string, string> = {};
      for (const issue of issues) byField[fieldOf(issue.path)] ??= issue.message;
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFormError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  // About 400 zones: listed once per stored zone, not on every keystroke.
  const zones = useMemo(() => timeZones(draft?.timeZone ?? 'UTC'), [draft?.timeZone]);
  const view = loaded.data;
  const pairing = draft && isHex(draft.color) ? textColorOn(draft.color.trim().toLowerCase()) : null;
  const colorHint = pairing
    ? pairing.textColor
      ? `Text on it: ${pairing.textColor === '#ffffff' ? 'white' : 'dark'} (${pairing.ratio.toFixed(1)}:1 contrast)`
      : `No text colour reaches 4.5:1 on it (best ${pairing.ratio.toFixed(2)}:1): pick a darker or lighter colour`
    : 'A hex colour such as #0f766e';

  return (
    <section class="settings-section" aria-labelledby="widget-title-heading">
      <h2 id="widget-title-heading">Widget</h2>
      <p class="section-intro">
        What the chat widget on your site says and looks like. Saving updates widgets already open. A page's data-* attributes still win
        on that page.
      </p>
      {loaded.error && (
        <div class="inline-alert" role="alert">
          <span>{loaded.error}</span>
          <button type="button" class="link-button" onClick={() => void loaded.reload()}>
            Try again
          </button>
        </div>
      )}
      {!draft && !loaded.error && <p class="settings-note">Loading widget settings…</p>}
      {draft && view && (
        <form
          ref={form}
          class="card settings-form widget-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <FormError message={formError} />
          <h3>Appearance</h3>
          <div class="field-row">
            <FormField
              id="widget-title"
              label="Title"
              maxLength={MAX_WIDGET_TITLE_LENGTH}
              value={draft.title}
              error={errors['title']}
              onInput={(e) => change({ title: e.currentTarget.value })}
            />
            <FormField
              id="widget-subtitle"
              label="Subtitle"
              maxLength={MAX_WIDGET_SUBTITLE_LENGTH}
              hint="The reply-time line under the title"
              value={draft.subtitle}
              error={errors['subtitle']}
              onInput={(e) => change({ subtitle: e.currentTarget.value })}
            />
          </div>
          <TextareaField
            id="widget-greeting"
            label="Greeting"
            maxLength={MAX_WIDGET_GREETING_LENGTH}
            hint="The first message a visitor sees"
            value={draft.greeting}
            error={errors['greeting']}
            onInput={(e) => change({ greeting: e.currentTarget.value })}
          />
          <div class="field-row">
            <FormField
              id="widget-color"
              label="Color"
              spellcheck={false}
              autocomplete="off"
              maxLength={7}
              hint={colorHint}
              value={draft.color}
              error={errors['color']}
              onInput={(e) => change({ color: e.currentTarget.value })}
              after={
                pairing?.textColor && (
                  <div class="widget-preview" style={{ background: draft.color.trim(), color: pairing.textColor }} aria-hidden="true">
                    <strong>{draft.title || 'Title'}</strong>
                    <span>{draft.subtitle}</span>
                  </div>
                )
              }
            />
            <SelectField
              id="widget-position"
              label="Position"
              value={draft.position}
              error={errors['position']}
              onChange={(e) => change({ position: e.currentTarget.value === 'left' ? 'left' : 'right' })}
            >
              <option value="right">Bottom right</option>
              <option value="left">Bottom left</option>
            </SelectField>
          </div>

          <h3>Business hours</h3>
          <label class="checkbox">
            <input type="checkbox" checked={draft.useHours} onChange={(e) => change({ useHours: e.currentTarget.checked })} />
            Use business hours
          </label>
          {!draft.useHours && <p class="settings-note">Always open: the widget never shows the outside-hours message.</p>}
          {draft.useHours && (
            <fieldset class="hours">
              <legend class="visually-hidden">Opening hours per weekday</legend>
              {WEEKDAYS.map((day) => {
                const d = draft.days[day];
                const name = DAY_NAMES[day];
                const error = errors[`hours.${day}`];
                return (
                  <div class="hours-row" key={day}>
                    <span class="hours-day" aria-hidden="true">
                      {name}
                    </span>
                    <input
                      type="time"
                      aria-label={`${name} opens`}
                      value={d.from}
                      disabled={d.closed}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? errorId(`hours-${day}`) : undefined}
                      onInput={(e) => changeDay(day, { from: e.currentTarget.value })}
                    />
                    <span aria-hidden="true">to</span>
                    <input
                      type="time"
                      aria-label={`${name} closes`}
                      value={d.to}
                      disabled={d.closed}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? errorId(`hours-${day}`) : undefined}
                      onInput={(e) => changeDay(day, { to: e.currentTarget.value })}
                    />
                    <label class="checkbox">
                      <input type="checkbox" checked={d.closed} onChange={(e) => changeDay(day, { closed: e.currentTarget.checked })} />
                      Closed<span class="visually-hidden"> on {name}</span>
                    </label>
                    {error && (
                      <p id={errorId(`hours-${day}`)} class="field-error">
                        {name}: {error}
                      </p>
                    )}
                  </div>
                );
              })}
            </fieldset>
          )}
          <div class="field-row">
            <SelectField
              id="widget-time-zone"
              label="Time zone"
              value={draft.timeZone}
              error={errors['timeZone']}
              onChange={(e) => change({ timeZone: e.currentTarget.value })}
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll('_', ' ')}
                </option>
              ))}
            </SelectField>
            <FormField
              id="widget-delay"
              label="Email prompt delay"
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_EMAIL_PROMPT_DELAY_SECONDS}
              hint="Seconds a visitor's message waits for an answer before the widget asks for their email"
              value={draft.delay}
              error={errors['emailPromptDelaySeconds']}
              onInput={(e) => change({ delay: e.currentTarget.value })}
            />
          </div>
          <FormField
            id="widget-outside-hours"
            label="Outside hours message"
            maxLength={MAX_OUTSIDE_HOURS_TEXT_LENGTH}
            hint="Shown above the email form outside business hours"
            value={draft.outsideHoursText}
            error={errors['outsideHoursText']}
            onInput={(e) => change({ outsideHoursText: e.currentTarget.value })}
          />

          <h3>Sites</h3>
          <TextareaField
            id="widget-origins"
            label="Allowed origins"
            rows={3}
            spellcheck={false}
            placeholder="https://www.example.com"
            hint={
              view.envAllowedOrigins
                ? `PARLEY_ALLOWED_ORIGINS is set on the server and wins over this list: ${view.envAllowedOrigins.join(', ')}`
                : `One origin per line (up to ${MAX_ALLOWED_ORIGINS}). Empty: the widget works on any site.`
            }
            value={draft.origins}
            error={errors['allowedOrigins']}
            onInput={(e) => change({ origins: e.currentTarget.value })}
          />

          <div class="form-actions">
            <p class="save-status" role="status">
              {status}
            </p>
            {/* Not disabled while saving: a disabled button drops the keyboard focus to the page. */}
            <button type="submit" class="primary" aria-busy={busy}>
              Save
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
