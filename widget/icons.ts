// The widget's icons as markup: static and our own (no page or server text), so innerHTML is safe.
// The launcher ships them and lends them to the panel (LauncherLink.icon), so no icon is sent twice.
// Each is one stroked outline on a 24-unit grid, sized by the stylesheet, and decorative: the control
// around it carries the name.
const PATHS = {
  chat: 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1.1-4.6A8 8 0 1 1 21 12z',
  close: 'M6 6l12 12M18 6L6 18',
  send: 'M22 2L11 13M22 2l-7 20-4-9-9-4z',
  attach: 'M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7',
};

export type IconName = keyof typeof PATHS;

export const icon = (name: IconName): string =>
  `<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="${PATHS[name]}"/></svg>`;
