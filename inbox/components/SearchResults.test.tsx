// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SearchResult } from '../../shared/protocol';
import { SearchResults, splitSnippet } from './SearchResults';
import { summary } from '../testing/testSupport';

afterEach(cleanup);

function show(results: SearchResult[] | null, onOpen = vi.fn()) {
  render(<SearchResults results={results} searching={false} error={null} selectedId={null} onOpen={onOpen} />);
  return onOpen;
}

describe('search results', () => {
  it('splits a snippet at its «» marks, leaving unpaired marks as text', () => {
    expect(splitSnippet('we «ship» to «Norway»!')).toEqual([
      { text: 'we ', hit: false },
      { text: 'ship', hit: true },
      { text: ' to ', hit: false },
      { text: 'Norway', hit: true },
      { text: '!', hit: false },
    ]);
    expect(splitSnippet('a « b')).toEqual([{ text: 'a « b', hit: false }]);
  });

  it('shows each hit’s conversation and its snippet, the hit in <mark>', () => {
    show([{ conversation: summary({ id: 4, title: 'Ada Lovelace' }), messageId: 7, snippet: '…can you «ship» it…' }]);
    const list = screen.getByRole('list', { name: 'Search results' });
    const marks = [...list.querySelectorAll('mark')];
    expect(marks.map((m) => m.textContent)).toEqual(['ship']);
    expect(within(list).getByText('Ada Lovelace')).toBeTruthy();
    expect(list.querySelector('.snippet')?.textContent).toBe('…can you ship it…');
  });

  it('renders HTML in a snippet as text', () => {
    show([{ conversation: summary({ id: 5 }), messageId: 8, snippet: '<img src=x onerror=alert(1)> «<b>bold</b>»' }]);
    const list = screen.getByRole('list', { name: 'Search results' });
    expect(list.querySelector('img')).toBeNull();
    expect(list.querySelector('b')).toBeNull();
    expect(list.querySelector('mark')?.textContent).toBe('<b>bold</b>');
  });

  it('opens the conversation of a clicked result', () => {
    const c = summary({ id: 6, title: 'Visitor #6' });
    const result = { conversation: c, messageId: null, snippet: '«Visitor» #6' };
    const onOpen = show([result]);
    fireEvent.click(screen.getByRole('button'));
    expect(onOpen).toHaveBeenCalledWith(result);
  });

  it('says "No matches" when nothing matched', () => {
    show([]);
    expect(screen.getByText('No matches')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });
});
