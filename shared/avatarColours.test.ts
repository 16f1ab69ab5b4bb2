import { describe, expect, it } from 'vitest';
import { AVATAR_COLOURS, avatarColour } from './avatarColours';

/** WCAG 2.1 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

describe('avatar colours', () => {
  it('keep white initials readable: at least 4.5:1 on every colour', () => {
    for (const colour of AVATAR_COLOURS) expect(1.05 / (luminance(colour) + 0.05), colour).toBeGreaterThanOrEqual(4.5);
  });

  it('give one person the same colour every time, and neighbours different ones', () => {
    expect(avatarColour(3)).toBe(avatarColour(3));
    expect(avatarColour(3)).not.toBe(avatarColour(4));
    expect(AVATAR_COLOURS).toContain(avatarColour(-7));
  });
});
