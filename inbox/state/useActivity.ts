// What is happening around the open conversation right now, from the live feed: which agents have it
// open (and whether they are replying), and the visitor's draft as they type, which fades when quiet.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgentServerFrame, Viewer } from '../../shared/protocol';

/** A visitor draft with no newer frame for this long is taken as abandoned. */
export const VISITOR_TYPING_TIMEOUT_MS = 6_000;

export function useActivity() {
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [visitorDraft, setVisitorDraft] = useState('');
  const quiet = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const showDraft = useCallback((preview: string) => {
    clearTimeout(quiet.current);
    setVisitorDraft(preview);
    if (preview) quiet.current = setTimeout(() => setVisitorDraft(''), VISITOR_TYPING_TIMEOUT_MS);
  }, []);

  useEffect(() => () => clearTimeout(quiet.current), []);

  /** Takes the frames about conversation `openId`; news about others is shown nowhere. */
  const apply = useCallback((frame: AgentServerFrame, openId: number | null) => {
    if (frame.type === 'viewers' && frame.conversationId === openId) setViewers(frame.viewers);
    if (frame.type === 'visitorTyping' && frame.conversationId === openId) showDraft(frame.preview);
    if (frame.type === 'message' && frame.message.conversationId === openId && frame.message.author === 'visitor') {
      showDraft(''); // the draft became this message
    }
  }, []);

  /** Another conversation was opened (or none): nothing known about it yet. */
  const reset = useCallback(() => {
    setViewers([]);
    showDraft('');
  }, []);

  return { viewers, visitorDraft, apply, reset };
}
