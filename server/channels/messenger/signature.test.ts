import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSignedByMeta, sameSecret } from './signature';

const secret = 'app-secret';
const bytes = Buffer.from('{"object":"page","entry":[]}');
const sign = (raw: Uint8Array, key = secret) => `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;

describe('isSignedByMeta', () => {
  it('accepts the HMAC of exactly the bytes received, in either hex case', () => {
    expect(isSignedByMeta(bytes, sign(bytes), secret)).toBe(true);
    expect(isSignedByMeta(bytes, sign(bytes).toUpperCase().replace('SHA256=', 'sha256='), secret)).toBe(true);
  });

  it('refuses a signature made with another secret or over other bytes', () => {
    expect(isSignedByMeta(bytes, sign(bytes, 'guess'), secret)).toBe(false);
    expect(isSignedByMeta(Buffer.from('{"object":"page","entry":[] }'), sign(bytes), secret)).toBe(false);
  });

  it('refuses a missing, truncated, over-long or non-hex header without throwing', () => {
    const good = sign(bytes);
    for (const header of [undefined, '', 'sha256=', good.slice(0, -2), `${good}00`, `sha1=${good.slice(7)}`, `sha256=${'z'.repeat(64)}`]) {
      expect(isSignedByMeta(bytes, header, secret)).toBe(false);
    }
  });
});

describe('sameSecret', () => {
  it('compares secrets of any length', () => {
    expect(sameSecret('verify-me', 'verify-me')).toBe(true);
    expect(sameSecret('verify', 'verify-me')).toBe(false);
    expect(sameSecret('', 'verify-me')).toBe(false);
  });
});
