// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SavedResponseList } from '../api/client';
import { SavedResponsePicker } from './SavedResponsePicker';
import { savedResponse } from '../testing/testSupport';

afterEach(cleanup);

/** The responses listed (the category <select> has options of its own). */
const options = () => {
  const list = screen.queryByRole('listbox', { name: 'Responses' });
  return list ? within(list).getAllByRole('option') : [];
};

const data: SavedResponseList = {
  savedResponses: [
    savedResponse({ id: 1, title: 'Shipping times', category: 'Sales', body: 'We ship within two days.' }),
    savedResponse({ id: 2, title: 'Refunds', category: 'Billing', body: 'Refunds take five days to arrive.' }),
    savedResponse({ id: 3, title: 'Pricing', category: 'Sales', body: 'Plans start at $9 a month.' }),
  ],
  categories: ['Billing', 'Sales'],
};

function show(list: SavedResponseList | null = data) {
  const onChoose = vi.fn();
  const onClose = vi.fn();
  render(<SavedResponsePicker data={list} error={null} onChoose={onChoose} onClose={onClose} />);
  const titles = () => options().map((o) => o.querySelector('.picker-title')?.textContent);
  return { onChoose, onClose, titles };
}

describe('the saved-responses picker', () => {
  it('lists every response with its title and a preview of its body', () => {
    const { titles } = show();
    expect(screen.getByRole('dialog', { name: 'Saved responses' })).toBeTruthy();
    expect(titles()).toEqual(['Shipping times', 'Refunds', 'Pricing']);
    expect(within(options()[1] as HTMLElement).getByText('Refunds take five days to arrive.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Filter'));
  });

  it('narrows by category, starting from "All categories"', () => {
    const { titles } = show();
    const category = screen.getByLabelText('Category') as HTMLSelectElement;
    expect([...category.options].map((o) => o.textContent)).toEqual(['All categories', 'Billing', 'Sales']);
    fireEvent.change(category, { target: { value: 'Sales' } });
    expect(titles()).toEqual(['Shipping times', 'Pricing']);
  });

  it('narrows by text in the title or the body, together with the category', () => {
    const { titles } = show();
    const filter = screen.getByLabelText('Filter');
    fireEvent.input(filter, { target: { value: 'DAYS' } });
    expect(titles()).toEqual(['Shipping times', 'Refunds']);
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'Billing' } });
    expect(titles()).toEqual(['Refunds']);
    fireEvent.input(filter, { target: { value: 'nothing like this' } });
    expect(titles()).toEqual([]);
    expect(screen.getByText('No responses match.')).toBeTruthy();
  });

  it('moves the highlight with the arrows, picks with Enter or a click, closes on Escape', () => {
    const { onChoose, onClose } = show();
    const filter = screen.getByLabelText('Filter');
    const selected = () => options().findIndex((o) => o.getAttribute('aria-selected') === 'true');
    expect(selected()).toBe(0);
    fireEvent.keyDown(filter, { key: 'ArrowDown' });
    fireEvent.keyDown(filter, { key: 'ArrowDown' });
    fireEvent.keyDown(filter, { key: 'ArrowDown' });
    expect(selected()).toBe(2);
    fireEvent.keyDown(filter, { key: 'ArrowUp' });
    expect(filter.getAttribute('aria-activedescendant')).toBe(options()[1]?.id);
    fireEvent.keyDown(filter, { key: 'Enter' });
    expect(onChoose).toHaveBeenLastCalledWith(data.savedResponses[1]);
    fireEvent.click(screen.getByText('Pricing'));
    expect(onChoose).toHaveBeenLastCalledWith(data.savedResponses[2]);
    fireEvent.keyDown(filter, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });

  it('says when it is loading and when there is nothing saved yet', () => {
    show(null);
    expect(screen.getByText('Loading saved responses…')).toBeTruthy();
    cleanup();
    show({ savedResponses: [], categories: [] });
    expect(screen.getByText('No saved responses yet. Add them in Settings.')).toBeTruthy();
  });
});
