// The contrast rule behind Settings → Widget's "Color": white text when it is readable, else dark.
import { describe, expect, it } from 'vitest';
import { contrastRatio, DARK_TEXT, focusRingOn, PANEL_DARK, PANEL_LIGHT, textColorOn, WHITE_TEXT } from './widgetLook';

describe('contrast', () => {
  it('measures WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#9ca3af', '#ffffff')).toBeCloseTo(2.54, 2);
  });

  it('keeps white text on a dark brand colour', () => {
    expect(textColorOn('#4f46e5')).toMatchObject({ textColor: WHITE_TEXT });
  });

  it('pairs a light brand colour with dark text', () => {
    const yellow = textColorOn('#facc15');
    expect(yellow.textColor).toBe(DARK_TEXT);
    expect(yellow.ratio).toBeGreaterThanOrEqual(4.5);
  });

  it('finds no text colour for a mid grey, and says how close the best one came', () => {
    const grey = textColorOn('#7a7a7a');
    expect(grey.textColor).toBeNull();
    expect(grey.ratio).toBeLessThan(4.5);
    expect(grey.ratio).toBeGreaterThan(4);
  });
});

describe('focus ring', () => {
  it('follows the brand colour where it stands out 3:1 from the panel, and falls back to text colours where not', () => {
    expect(focusRingOn('#4f46e5', PANEL_LIGHT)).toBe('#4f46e5');
    expect(focusRingOn('#fde047', PANEL_LIGHT)).toBe(DARK_TEXT);
    expect(focusRingOn('#fde047', PANEL_DARK)).toBe('#fde047');
    expect(focusRingOn('#4f46e5', PANEL_DARK)).toBe(WHITE_TEXT);
    for (const accent of ['#4f46e5', '#fde047', '#7a7a7a', '#000000', '#ffffff']) {
      for (const panel of [PANEL_LIGHT, PANEL_DARK]) expect(contrastRatio(focusRingOn(accent, panel), panel)).toBeGreaterThanOrEqual(3);
    }
  });
});
