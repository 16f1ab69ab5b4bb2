// Installs Debian packages the tests need when their binaries are missing (as root via apt-get, else via
// sudo), so `npm test` works on a fresh machine: chromium for the browser tests, postgresql and
// redis-server for the multi-process tests. Prints what it did; throws if a binary is still missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface DebianPackage {
  /** The package apt-get installs. */
  name: string;
  /** Present once the package is installed: a path, or a function that looks (versioned folders). */
  installed: () => boolean;
}

export function ensureDebianPackages(packages: DebianPackage[]): void {
  const missing = packages.filter((p) => !p.installed());
  for (const p of packages) if (!missing.includes(p)) console.log(`${p.name}: installed`);
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name).join(' ');
  console.log(`${names}: missing; installing from Debian…`);
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit', env });
  execSync(`${sudo}apt-get install -y -qq --no-install-recommends ${names}`, { stdio: 'inherit', env });
  const still = missing.filter((p) => !p.installed());
  if (still.length > 0) throw new Error(`installed, but still missing: ${still.map((p) => p.name).join(', ')}`);
}

export const fileExists = (path: string) => () => existsSync(path);
