// Where Parley's files are on disk, found by walking up to package.json, so the same code works
// from the TypeScript sources (tsx, tests) and from the bundled dist/server/main.js (`npm start`).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(import.meta.dirname);
export const distFolder = resolve(projectRoot, 'dist');
export const demoSiteFolder = resolve(projectRoot, 'demo-site');
export const migrationsFolder = resolve(projectRoot, 'server', 'db', 'migrations');
export const pgMigrationsFolder = resolve(projectRoot, 'server', 'db', 'pg', 'migrations');
