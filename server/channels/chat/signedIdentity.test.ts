import { describe, expect, it } from 'vitest';
import { isSignedBy, userHashOf } from './signedIdentity';

const SECRET = 'site-backend-secret-0123456789';

describe('signed identify', () => {
  it('proves the address the site signed, in any case of hex or address', () => {
    const hash = userHashOf(SECRET, 'ada@example.com');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(isSignedBy(SECRET, 'ada@example.com', hash)).toBe(true);
    expect(isSignedBy(SECRET, 'Ada@Example.com', hash.toUpperCase())).toBe(true);
  });

  it('proves nothing for another address, another secret, a bad hash or no secret at all', () => {
    const hash = userHashOf(SECRET, 'ada@example.com');
    expect(isSignedBy(SECRET, 'eve@example.com', hash)).toBe(false);
    expect(isSignedBy('another-secret-0123456789', 'ada@example.com', hash)).toBe(false);
    expect(isSignedBy(SECRET, 'ada@example.com', hash.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBe(false);
    expect(isSignedBy(SECRET, 'ada@example.com', 'zz')).toBe(false);
    expect(isSignedBy(null, 'ada@example.com', hash)).toBe(false);
    expect(isSignedBy(SECRET, undefined, hash)).toBe(false);
  });
});
