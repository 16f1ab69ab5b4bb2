import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedSnippet } from './embedSnippet';

describe('the embed snippet', () => {
  it('is the one the README tells site owners to paste, word for word', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(embedSnippet('http://localhost:3000'));
  });
});
