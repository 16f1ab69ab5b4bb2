// The colours behind the initials of anyone without a picture (agents in the inbox and the widget,
// contacts in the list). White initials on each are at least 4.5:1 (WCAG AA): avatarColours.test.ts checks.
export const AVATAR_COLOURS = ['#4f46e5', '#0e7490', '#047857', '#b45309', '#be185d', '#7c3aed', '#2563eb', '#dc2626'] as const;

/** A colour fixed by `seed` (an id), so a person keeps theirs when their name changes. */
export const avatarColour = (seed: number): string => AVATAR_COLOURS[Math.abs(Math.trunc(seed)) % AVATAR_COLOURS.length]!;
