import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventKind, ignoredEventLog, MAX_LOGGED_KINDS } from './ignoredEvents';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../testing/corpus/messenger/${name}`, import.meta.url), 'utf8'));

describe('event kinds Parley does not act on', () => {
  it('are named by their key, as Meta documents them', () => {
    expect(eventKind(fixture('referral.json'))).toBe('referral');
    expect(eventKind(fixture('policy-enforcement.json'))).toBe('policy_enforcement');
    expect(eventKind(fixture('pass-thread-control.json'))).toBe('pass_thread_control');
    expect(eventKind({ sender: {}, 'Ünïcode\n<script>': 1 })).toBe('unknown');
    expect(eventKind(null)).toBe('unknown');
  });

  it('are logged once per kind, and a flood of new kinds stops being logged', () => {
    const lines: string[] = [];
    const ignored = ignoredEventLog((line) => lines.push(line));
    for (let i = 0; i < 1000; i++) ignored('referral');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"referral"');
    for (let i = 0; i < 1000; i++) ignored(`kind_${i}`);
    expect(lines).toHaveLength(MAX_LOGGED_KINDS + 1);
  });
});
