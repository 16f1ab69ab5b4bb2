// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { useFocusAfterRender } from './useFocusAfterRender';

afterEach(cleanup);

/** "Remove" takes itself away and hands the focus to "Next"; "Later" does the same for a control acted on earlier. */
function Removable() {
  const [shown, setShown] = useState(true);
  const focusAfterRender = useFocusAfterRender();
  const next = () => document.getElementById('next');
  return (
    <>
      {shown && (
        <button
          type="button"
          id="remove"
          onClick={() => {
            setShown(false);
            focusAfterRender(next);
          }}
        >
          Remove
        </button>
      )}
      <button type="button" onClick={() => focusAfterRender(next, document.getElementById('remove'))}>
        Later
      </button>
      <button type="button">Elsewhere</button>
      <button type="button" id="next">
        Next
      </button>
    </>
  );
}

describe('focus handed on after a render', () => {
  it('moves from a control that removed itself to the next one, not to <body>', () => {
    render(<Removable />);
    const remove = screen.getByRole('button', { name: 'Remove' });
    remove.focus();
    fireEvent.click(remove);
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Next' }));
  });

  it('leaves the focus where the agent has moved it since the action started', () => {
    render(<Removable />);
    screen.getByRole('button', { name: 'Elsewhere' }).focus();
    fireEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Elsewhere' }));
  });
});
