// The widget's part in the panel file: the live region that reads replies out while the widget is
// closed and, when open, the chat panel. The launcher button is ../launcher.ts, which owns open/closed
// and takes focus back on close. Stateless: the thread lives in ChatConnection.
import type { ChatConnection } from '../connection';
import type { LauncherLink } from '../panelLink';
import { Panel, type WidgetText } from './Panel';
import { ReplyAnnouncer } from './ReplyAnnouncer';

interface Props {
  connection: ChatConnection;
  open: boolean;
  setOpen: (open: boolean) => void;
  text: WidgetText;
  icon: LauncherLink['icon'];
}

export function Widget({ connection, open, setOpen, text, icon }: Props) {
  return (
    <div>
      <ReplyAnnouncer connection={connection} open={open} />
      {open && <Panel connection={connection} text={text} icon={icon} onClose={() => setOpen(false)} />}
    </div>
  );
}
