// The top bar's "Notifications" button and the small panel it opens: desktop notifications (the browser
// is asked for permission from that very click), the sound, and what to be notified about, each saved
// for the agent at once. Escape, a click elsewhere or tabbing past it closes it; Escape returns the focus
// to the button.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentPreferences } from '../../shared/protocol';
import { api, describeError } from '../api/client';
import { playChime } from '../state/chime';
import { BellIcon } from './icons';

interface Props {
  preferences: AgentPreferences;
  /** The choices as the server now stores them (or as they were, after a failed save). */
  onChange: (preferences: AgentPreferences) => void;
  endedSession: (err: unknown) => boolean;
}

const PANEL_ID = 'notifications-panel';

const SCOPES: { value: AgentPreferences['notifyAbout']; label: string }[] = [
  { value: 'all', label: 'All new messages' },
  { value: 'mine', label: 'Conversations assigned to me or unassigned' },
  { value: 'nothing', label: 'Nothing' },
];

type Permission = NotificationPermission | 'unsupported';
const permissionNow = (): Permission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

const BLOCKED = 'Your browser blocks notifications from this site. Allow them in its site settings, then try again.';
const NOT_ALLOWED = 'Notifications were not allowed, so they stay off.';
const UNSUPPORTED = 'This browser cannot show desktop notifications.';
const NOT_HERE = 'Desktop notifications are on for you, but this browser has not allowed them: tick the box to allow them here.';

export function NotificationsMenu({ preferences, onChange, endedSession }: Props) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const saves = useRef(0);

  // A click anywhere else closes it (the focus stays where that click put it).
  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  /**
   * Shows the change at once; puts the old value back if the server refuses it. Only the latest
   * save's answer counts: an earlier one arriving later would undo a newer change.
   */
  const save = async (patch: Partial<AgentPreferences>) => {
    const before = preferences;
    const turn = ++saves.current;
    onChange({ ...preferences, ...patch });
    try {
      const saved = (await api.savePreferences(patch)).preferences;
      if (turn === saves.current) onChange(saved);
    } catch (err) {
      if (endedSession(err) || turn !== saves.current) return;
      onChange(before);
      setProblem(`Could not save: ${describeError(err)}`);
    }
  };

  const setDesktop = (on: boolean) => {
    setProblem(null);
    if (!on) return void save({ desktopNotifications: false });
    if (permissionNow() === 'unsupported') return setProblem(UNSUPPORTED);
    // Asked from this click: browsers ignore (or block for good) a request without one.
    void Notification.requestPermission().then((answer) => {
      if (answer === 'granted') void save({ desktopNotifications: true });
      else setProblem(answer === 'denied' ? BLOCKED : NOT_ALLOWED);
    });
  };

  // The box shows what this browser will do: on for the agent, but not allowed here, shows unticked
  // (with a note), and ticking it asks this browser.
  const desktopOn = preferences.desktopNotifications && permissionNow() === 'granted';
  const notAllowedHere = preferences.desktopNotifications && !desktopOn;

  return (
    <div
      class="notifications"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          close();
        }
      }}
      // Tabbing past the panel closes it, like a click elsewhere.
      onFocusOut={(e) => {
        const next = e.relatedTarget as Node | null;
        if (next && !e.currentTarget.contains(next)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        class="ghost"
        aria-expanded={open}
        aria-controls={PANEL_ID}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <BellIcon />
        <span class="button-label">Notifications</span>
      </button>
      <div
        ref={panel}
        id={PANEL_ID}
        class="notifications-panel"
        role="group"
        aria-label="Notification settings"
        hidden={!open}
      >
        <label class="check">
          <input
            type="checkbox"
            checked={desktopOn}
            onClick={(e) => {
              // The box follows the saved choice, not the click: it turns on once the browser allows it.
              e.preventDefault();
              setDesktop(!desktopOn);
            }}
          />
          Desktop notifications
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={preferences.sound}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setProblem(null);
              if (on) playChime(); // a sample, and this click lets the page play sound from now on
              void save({ sound: on });
            }}
          />
          Sound
        </label>
        <label class="notify-scope">
          Notify me about
          <select
            value={preferences.notifyAbout}
            onChange={(e) => {
              setProblem(null);
              void save({ notifyAbout: e.currentTarget.value as AgentPreferences['notifyAbout'] });
            }}
          >
            {SCOPES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        {problem && (
          <p class="notifications-problem" role="alert">
            {problem}
          </p>
        )}
        {!problem && notAllowedHere && (
          <p class="notifications-note">{{ unsupported: UNSUPPORTED, denied: BLOCKED, default: NOT_HERE, granted: '' }[permissionNow()]}</p>
        )}
      </div>
    </div>
  );
}
