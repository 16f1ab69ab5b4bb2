// The web chat channel: one visitor socket, from hello to close. Translates widget frames into
// conversation calls and answers with acks; it never writes messages or fans out by itself.
// A visitor row exists only after the first message: a socket that only says hello creates nothing.
import type { WebSocket } from 'ws';
import { visitorClientFrame, type VisitorServerFrame, type WidgetFace } from '../../../shared/protocol';
import type { Conversations, VisitorIdentity } from '../../conversations';
import type { Storage } from '../../storage';
import type { WidgetSettingsService } from '../../widgetSettings';
import type { FanOut } from '../../realtime/fanOut';
import type { Hub } from '../../realtime/hub';
import { inOrder } from '../../conversations/inOrder';
import { parseFrame } from '../../realtime/frames';
import { Throttle } from '../../realtime/throttle';
import type { NewVisitors } from './newVisitors';
import type { VisitorRateLimits } from './visitorLimits';
import { isSignedBy } from './signedIdentity';

export interface VisitorSocketDeps {
  storage: Storage;
  /** This process's visitor sockets (who is connected here). */
  hub: Hub;
  /** News to the visitor's other tabs and whether agents are online, across every process in a cluster. */
  fanOut: FanOut;
  conversations: Conversations;
  /** Settings → Widget as widgets need it (the email prompt's delay among them), sent in every welcome. */
  widgetSettings: Pick<WidgetSettingsService, 'forVisitor'>;
  /** Visitors just created, claimable with their widget's claim secret (one per server). */
  newVisitors: NewVisitors;
  /** Messages, new visitors and identify frames over these rates are refused with `rate_limited`. */
  rateLimits: VisitorRateLimits;
  /** PARLEY_IDENTITY_SECRET: an identify whose userHash it signs proves the email; null: none does. */
  identitySecret: string | null;
  /** The available agents' faces for the widget's header (agents/team.ts keeps them). */
  faces: () => WidgetFace[];
}

/** Visitors send typing at most every 2 s; a little slack absorbs network jitter. */
const typingThrottle = new Throttle<WebSocket>(1_500);

export function acceptVisitorSocket(
  socket: WebSocket,
  { storage, hub, fanOut, conversations, widgetSettings, newVisitors, identitySecret, rateLimits, faces }: VisitorSocketDeps,
  userAgent: string | null,
  /** The client's address (see clientAddress.ts), for the new-visitors-per-address limit. */
  address: string,
): void {
  let greeted = false;
  /** From hello, while the widget has no token: the secret that may claim the visitor it creates. */
  let claimSecret: string | null = null;
  /** The newest seq this socket reported seen (an id, from an old panel): repeats of it cost nothing. */
  let seenUpTo = 0;
  /** The panel was built before seq (its hello sent `since`, a message id): it is answered in ids. */
  let oldPanel = false;
  /** Where the visitor is, for the contact panel: from hello, recorded when they are known. */
  const visit: { pageUrl: string | null; referrer: string | null; userAgent: string | null } = {
    pageUrl: null,
    referrer: null,
    userAgent,
  };
  let visitorId: number | null = null;
  let pendingIdentity: VisitorIdentity | null = null;

  const send = (frame: VisitorServerFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  /** The welcome frame, with the history spliced in as the JSON bytes the store produced. */
  const sendWelcome = async (thread: Awaited<ReturnType<Conversations['visitorThread']>>, email: string | null) => {
    const settings = widgetSettings.forVisitor();
    const head: Omit<Extract<VisitorServerFrame, { type: 'welcome' }>, 'history'> = {
      type: 'welcome',
      known: true,
      forget: false,
      seenUpToSeq: thread.seenUpToSeq,
      seenUpTo: thread.seenUpToId,
      agentsOnline: fanOut.agentsOnline(),
      email,
      askEmailAfterMs: settings.askEmailAfterMs,
      team: faces(),
      settings,
    };
    const frame = await thread.withHistory(head);
    if (socket.readyState !== socket.OPEN) return;
    socket.send(frame, { binary: false });
  };

  const goOnline = (id: number) => {
    visitorId = id;
    if (hub.addVisitor(id, socket)) conversations.visitSeen(id, visit);
  };

  /** Something broke on our side: tell the widget (it keeps the message and can retry). */
  const failed = (err: unknown, clientId?: string) => {
    console.error('[parley] visitor frame failed:', err);
    send({ type: 'error', code: 'internal', message: 'The server could not handle that; try again', clientId });
  };

  /**
   * Stores what the visitor said about themselves (a contact link only when signed), then tells all
   * their tabs, so each swaps its email form for a confirmation of the address they gave.
   */
  const storeIdentity = async (id: number, identity: VisitorIdentity) => {
    await conversations.identify(id, identity);
    fanOut.toVisitor(id, { type: 'identified', email: await storage.conversations.emailOfVisitor(id) });
  };

  /** Over a limit: nothing was done; the widget sends the same frame again after the wait. */
  const refuseForRate = (retryAfterMs: number, clientId?: string) =>
    send({
      type: 'error',
      code: 'rate_limited',
      message: `Too many at once; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      retryAfterMs,
      clientId,
    });

  /**
   * First message from a widget without a token: create the visitor and hand the widget its cookie
   * token. If this widget's claim secret already created one (the connection dropped before the
   * token arrived and the widget is resending), hand that visitor's token out again instead of
   * making a second. Null: this address has started too many visitors lately (the widget was told).
   */
  const introduceNewVisitor = async (firstClientId: string): Promise<number | null> => {
    const visitor = await newVisitors.claimOrCreate(claimSecret, () => createNewVisitor(firstClientId));
    if (!visitor) return null;
    send({ type: 'identity', token: visitor.token });
    goOnline(visitor.visitorId);
    return visitor.visitorId;
  };

  const createNewVisitor = async (firstClientId: string) => {
    const waitMs = rateLimits.newVisitors.take(address);
    if (waitMs) {
      refuseForRate(waitMs, firstClientId);
      return null;
    }
    const created = await storage.conversations.createVisitor();
    return { visitorId: created.visitor.id, token: created.token };
  };

  // A socket's frames (and its close) are handled one after another, in the order they came: a
  // `send` right behind `hello` waits for the hello's lookups. A stored message's ack does not hold
  // the line; group commit needs the next frames queued while the disk works.
  const inTurn = inOrder();

  socket.on('message', (raw, isBinary) => {
    const result = parseFrame(visitorClientFrame, raw, isBinary);
    if (!result.ok) return send(result.error);
    const frame = result.frame;
    void inTurn(() => handleFrame(frame));
  });

  const handleFrame = async (frame: (typeof visitorClientFrame)['_output']) => {
    try {
      switch (frame.type) {
        case 'hello': {
          if (greeted) return send({ type: 'error', code: 'bad_frame', message: 'hello was already sent' });
          greeted = true;
          hub.addGreetedVisitor(socket);
          claimSecret = frame.token ? null : (frame.claim ?? null);
          oldPanel = frame.sinceSeq === undefined && frame.since !== undefined;
          if (frame.page) {
            visit.pageUrl = frame.page.url || null;
            visit.referrer = frame.page.referrer || null;
          }
          const visitor = frame.token ? await storage.conversations.findVisitorByToken(frame.token) : null;
          if (!visitor) {
            // An unknown token is not an error: the widget forgets it and starts as a new visitor.
            const settings = widgetSettings.forVisitor();
            return send({
              type: 'welcome',
              known: false,
              forget: Boolean(frame.token),
              history: [],
              seenUpToSeq: 0,
              seenUpTo: oldPanel ? 0 : undefined,
              agentsOnline: fanOut.agentsOnline(),
              email: null,
              askEmailAfterMs: settings.askEmailAfterMs,
              team: faces(),
              settings,
            });
          }
          goOnline(visitor.id);
          const since = oldPanel ? { messageId: frame.since ?? 0 } : { seq: frame.sinceSeq ?? 0 };
          const [thread, email] = await Promise.all([
            conversations.visitorThread(visitor.id, since),
            storage.conversations.emailOfVisitor(visitor.id),
          ]);
          return sendWelcome(thread, email);
        }
        case 'send': {
          if (!greeted) {
            return send({ type: 'error', code: 'not_ready', message: 'Send hello first', clientId: frame.clientId });
          }
          const { clientId } = frame;
          const id = visitorId ?? (await introduceNewVisitor(clientId));
          if (id === null) return;
          const waitMs = rateLimits.messages.take(id);
          if (waitMs) return refuseForRate(waitMs, clientId);
          conversations.storeChatMessage({ visitorId: id, clientId, body: frame.body, fromSocket: socket }).then(
            ({ message }) => {
              send({ type: 'ack', clientId, message });
              if (!pendingIdentity) return;
              const identity = pendingIdentity;
              pendingIdentity = null;
              storeIdentity(id, identity).catch((err: unknown) => failed(err));
            },
            (err: unknown) => failed(err, clientId),
          );
          return;
        }
        case 'typing':
          if (visitorId !== null && typingThrottle.allow(socket)) await conversations.visitorTyping(visitorId, frame.preview);
          return;
        case 'seen': {
          const upTo = frame.seq ?? frame.messageId ?? 0;
          if (visitorId === null || upTo <= seenUpTo) return;
          seenUpTo = upTo;
          await conversations.seenByVisitor(visitorId, frame.seq !== undefined ? { seq: upTo } : { messageId: upTo });
          return;
        }
        case 'identify': {
          // Each stored identify writes and tells every agent; before the first message it only replaces one held value.
          const identifyWaitMs = visitorId === null ? 0 : rateLimits.identify.take(visitorId);
          if (identifyWaitMs) return refuseForRate(identifyWaitMs);
          const { type: _type, userHash, ...claimed } = frame;
          // A typed email is a claim; only the site's signature makes it the visitor's identity. A
          // wrong or unexpected userHash is not an error: the address simply stays unverified.
          const identity = { ...claimed, verified: isSignedBy(identitySecret, claimed.email, userHash) };
          // Before the first message there is nobody to identify yet; keep it until there is.
          if (visitorId === null) pendingIdentity = identity;
          else await storeIdentity(visitorId, identity);
          return;
        }
      }
    } catch (err) {
      failed(err, frame.type === 'send' ? frame.clientId : undefined);
    }
  };

  // In turn too: a hello still looking up its visitor goes online before this takes it offline.
  socket.on('close', () =>
    void inTurn(async () => {
      hub.removeGreetedVisitor(socket);
      if (visitorId !== null && hub.removeVisitor(visitorId, socket)) conversations.visitSeen(visitorId);
    }),
  );
}
