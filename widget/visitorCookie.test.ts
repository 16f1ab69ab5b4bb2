// @vitest-environment happy-dom
// The visitor cookie: it must find its own value among the host site's cookies and really go away
// when the server forgets the visitor. (Its attributes are checked in e2e/chat.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { visitorCookie } from './visitorCookie';

afterEach(() => visitorCookie.clear());

describe('visitor cookie', () => {
  it('reads back the token it wrote, among the host site’s own cookies', () => {
    document.cookie = 'xparley_vid=not-ours; path=/';
    document.cookie = 'theme=dark; path=/';
    expect(visitorCookie.read()).toBeUndefined();
    visitorCookie.write('tok_EN-123');
    expect(visitorCookie.read()).toBe('tok_EN-123');
  });

  it('keeps a value that looks like attributes inside the cookie, where it cannot move it', () => {
    visitorCookie.write('tok; path=/elsewhere');
    expect(visitorCookie.read()).toBe(encodeURIComponent('tok; path=/elsewhere'));
  });

  it('is gone after clear', () => {
    visitorCookie.write('tok_EN-123');
    visitorCookie.clear();
    expect(visitorCookie.read()).toBeUndefined();
  });
});
