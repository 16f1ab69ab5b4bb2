import { describe, expect, it } from 'vitest';
import { describeUserAgent } from './contactPanel';

describe('browser and OS from the user agent', () => {
  it('names a desktop Chrome on Windows and Safari on an iPhone', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      ),
    ).toEqual({ browser: 'Chrome 131', os: 'Windows 10' });
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toMatchObject({ browser: 'Safari 17', os: expect.stringMatching(/^iOS 17/) });
  });

  it('says nothing rather than guessing when there is no user agent', () => {
    expect(describeUserAgent(null)).toEqual({ browser: null, os: null });
  });
});
