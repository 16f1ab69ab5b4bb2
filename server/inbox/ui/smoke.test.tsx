// @vitest-environment happy-dom
import { render, screen, fireEvent } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { it, expect } from 'vitest';
function C() { const [n, setN] = useState(0); return <button onClick={() => setN(n + 1)}>n={n}</button>; }
it('works', () => {
  render(<C />);
  fireEvent.click(screen.getByRole('button'));
  expect(screen.getByRole('button').textContent).toBe('n=1');
});
