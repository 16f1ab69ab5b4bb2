import { describe, expect, it } from 'vitest';
import type { AgentServerFrame, Note } from '../../shared/protocol';
import { message, summary } from '../testing/testSupport';
import { ALERT_BODY_CHARS, alertFor, type NotifyContext } from './notifier';

const ME = 1;
const context = (over: Partial<NotifyContext> = {}): NotifyContext => ({ me: ME, notifyAbout: 'all', watching: new Set(), ...over });

const visitorSays = (body: string, over: Parameters<typeof summary>[0] = {}, extra: Partial<Parameters<typeof message>[0]> = {}): AgentServerFrame => {
  const conversation = summary({ id: 7, title: 'Mia Wong', ...over });
  return { type: 'message', message: message({ id: 70, conversationId: conversation.id, body, ...extra }), conversation };
};

const note = (over: Partial<Note> = {}): AgentServerFrame => ({
  type: 'note',
  note: { id: 5, conversationId: 7, agentId: 2, agentName: 'Linus', body: '@Grace can you take this?\nThey want a refund', mentions: [ME], createdAt: 0, ...over },
});

describe('what raises a notification', () => {
  it('a visitor message: the contact as title, the first line as body, one tag per conversation', () => {
    expect(alertFor(visitorSays('\n  Do you ship to Norway?  \nAnd to Iceland?'), context())).toEqual({
      tag: 'conversation:7',
      title: 'Mia Wong',
      body: 'Do you ship to Norway?',
      conversationId: 7,
    });
  });

  it('bounds a long first line, and names a message of attachments alone', () => {
    const alert = alertFor(visitorSays('x'.repeat(5_000)), context());
    expect(alert?.body).toHaveLength(ALERT_BODY_CHARS);
    expect(alert?.body.endsWith('…')).toBe(true);
    expect(alertFor(visitorSays('', {}, { attachments: [{ type: 'image', url: '/a' }] }), context())?.body).toBe('Sent an attachment');
  });

  it('never for agent replies (mine or a colleague’s) nor automatic messages', () => {
    expect(alertFor(visitorSays('On its way', {}, { author: 'agent', authorName: 'Grace' }), context())).toBeNull();
    expect(alertFor(visitorSays('I am out of office', {}, { automatic: true }), context())).toBeNull();
  });

  it('never for a conversation that one of the agent’s tabs shows on screen', () => {
    expect(alertFor(visitorSays('Hello?'), context({ watching: new Set([7]) }))).toBeNull();
    expect(alertFor(visitorSays('Hello?'), context({ watching: new Set([8]) }))).not.toBeNull();
  });

  it('"Conversations assigned to me or unassigned" skips those assigned to someone else', () => {
    const mine = context({ notifyAbout: 'mine' });
    expect(alertFor(visitorSays('Hi', { assigneeId: null }), mine)).not.toBeNull();
    expect(alertFor(visitorSays('Hi', { assigneeId: ME, assigneeName: 'Grace' }), mine)).not.toBeNull();
    expect(alertFor(visitorSays('Hi', { assigneeId: 2, assigneeName: 'Linus' }), mine)).toBeNull();
    expect(alertFor(visitorSays('Hi', { assigneeId: 2, assigneeName: 'Linus' }), context())).not.toBeNull();
  });

  it('"Nothing" means nothing, mentions included', () => {
    const nothing = context({ notifyAbout: 'nothing' });
    expect(alertFor(visitorSays('Hi'), nothing)).toBeNull();
    expect(alertFor(note(), nothing)).toBeNull();
  });

  it('a private note that mentions me: "<author> mentioned you" and its first line', () => {
    expect(alertFor(note(), context({ notifyAbout: 'mine' }))).toEqual({
      tag: 'conversation:7',
      title: 'Linus mentioned you',
      body: '@Grace can you take this?',
      conversationId: 7,
    });
    expect(alertFor(note({ mentions: [3] }), context())).toBeNull();
    expect(alertFor(note({ agentId: ME, agentName: 'Grace' }), context())).toBeNull(); // I mentioned myself
  });

  it('nothing else the feed carries', () => {
    expect(alertFor({ type: 'unread', conversations: 3 }, context())).toBeNull();
    expect(alertFor({ type: 'conversation', conversation: summary() }, context())).toBeNull();
  });
});
