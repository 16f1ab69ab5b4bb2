import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,server,widget,inbox,e2e,scripts,bench}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // expect.poll gives up after 1 s by default: too short for a live update on a 2-core CI machine
    // running browser tests side by side. Only a failing poll waits this long.
    expect: { poll: { timeout: 10_000 } },
  },
});
