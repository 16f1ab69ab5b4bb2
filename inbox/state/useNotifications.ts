// Desktop notifications and the sound for live news, in one of the agent's tabs (notifyTabs.ts) and by
// the rules of notifier.ts. Clicking a notification brings the inbox forward on its conversation.
// Never asks for the browser's permission itself: only the agent's click in the Notifications panel may.
import { useEffect, useRef } from 'preact/hooks';
import type { AgentPreferences, AgentServerFrame } from '../../shared/protocol';
import { playChime, unlockChime } from './chime';
import { alertFor, type Alert } from './notifier';
import { NotifyTabs } from './notifyTabs';

interface Options {
  agentId: number;
  preferences: AgentPreferences;
  /** The conversation this tab shows (null while none is open, or Settings covers it). */
  shownId: number | null;
  /** Opens a conversation (a notification was clicked). */
  onOpen: (conversationId: number) => void;
}

/** The page is on screen: visible, and the window the agent is using. */
const onScreen = (): boolean => document.visibilityState === 'visible' && document.hasFocus();

export const desktopAllowed = (): boolean => typeof Notification !== 'undefined' && Notification.permission === 'granted';

function showDesktop(alert: Alert, onOpen: (conversationId: number) => void): void {
  const notification = new Notification(alert.title, { body: alert.body, tag: alert.tag });
  notification.onclick = () => {
    window.focus();
    onOpen(alert.conversationId);
    notification.close();
  };
}

/** Returns what to do with each live frame. */
export function useNotifications({ agentId, preferences, shownId, onOpen }: Options): (frame: AgentServerFrame) => void {
  const tabs = useRef<NotifyTabs | null>(null);
  // The frame handler outlives renders: it reads the latest values from here.
  const latest = useRef({ agentId, preferences, shownId, onOpen });
  latest.current = { agentId, preferences, shownId, onOpen };

  const tellTabs = () => tabs.current?.setWatching(onScreen() ? latest.current.shownId : null);

  useEffect(() => {
    const link = new NotifyTabs(agentId);
    tabs.current = link;
    link.start();
    tellTabs();
    const stop = () => link.stop();
    addEventListener('pagehide', stop);
    addEventListener('focus', tellTabs);
    addEventListener('blur', tellTabs);
    document.addEventListener('visibilitychange', tellTabs);
    return () => {
      removeEventListener('pagehide', stop);
      removeEventListener('focus', tellTabs);
      removeEventListener('blur', tellTabs);
      document.removeEventListener('visibilitychange', tellTabs);
      link.stop();
      tabs.current = null;
    };
  }, [agentId]);

  useEffect(tellTabs, [shownId]);

  // After a reload the browser keeps the sound muted until the agent interacts with the page.
  useEffect(() => {
    if (!preferences.sound) return;
    const unlock = () => unlockChime();
    addEventListener('pointerdown', unlock, { once: true });
    addEventListener('keydown', unlock, { once: true });
    return () => {
      removeEventListener('pointerdown', unlock);
      removeEventListener('keydown', unlock);
    };
  }, [preferences.sound]);

  return (frame) => {
    const link = tabs.current;
    if (!link?.leader) return;
    const { preferences: prefs, shownId: shown } = latest.current;
    if (!prefs.desktopNotifications && !prefs.sound) return;
    const watching = link.watching();
    if (shown !== null && onScreen()) watching.add(shown);
    const alert = alertFor(frame, { me: latest.current.agentId, notifyAbout: prefs.notifyAbout, watching });
    if (!alert) return;
    if (prefs.desktopNotifications && desktopAllowed()) showDesktop(alert, (id) => latest.current.onOpen(id));
    if (prefs.sound) playChime();
  };
}
