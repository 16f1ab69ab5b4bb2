// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { CollisionNotice, VisitorTyping } from './ActivityNotices';

afterEach(cleanup);

describe('the collision notice', () => {
  it('names the other agents, viewing or typing, and never the one signed in', () => {
    render(
      <CollisionNotice
        selfId={1}
        viewers={[
          { agentId: 1, name: 'Ada', typing: true },
          { agentId: 2, name: 'Grace', typing: false },
          { agentId: 3, name: 'Linus', typing: true },
        ]}
      />,
    );
    const notice = screen.getByRole('status');
    expect(notice.classList).toContain('collision-notice');
    expect(screen.getByText('Grace is also viewing')).toBeTruthy();
    expect(screen.getByText('Linus is typing a reply…')).toBeTruthy();
    expect(notice.textContent).not.toContain('Ada');
  });

  it('says nothing when the agent is alone on the conversation', () => {
    render(<CollisionNotice selfId={1} viewers={[{ agentId: 1, name: 'Ada', typing: false }]} />);
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('the visitor’s draft', () => {
  it('shows the draft as text, and nothing for an empty one', () => {
    render(<VisitorTyping preview="<script>alert(1)</script>" />);
    const note = screen.getByRole('status');
    expect(note.textContent).toBe('Visitor is typing: <script>alert(1)</script>');
    expect(note.querySelector('script')).toBeNull();
    cleanup();
    render(<VisitorTyping preview="" />);
    expect(screen.queryByRole('status')).toBeNull();
  });
});
