// Run by `npm test` before the browser tests: installs Debian's chromium when /usr/bin/chromium is
// missing (as root via apt-get, else via sudo). Prints what it did; fails loudly if it cannot.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { CHROMIUM_PATH } from '../e2e/browser';


if (existsSync(CHROMIUM_PATH)) {
  console.log(`chromium: ${CHROMIUM_PATH}`);
} else {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  console.log(`chromium: not found at ${CHROMIUM_PATH}; installing Debian's chromium package…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit', env });
  execSync(`${sudo}apt-get install -y -qq chromium`, { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM_PATH)) {
    console.error('chromium: installation finished but the binary is still missing');
    process.exit(1);
  }
}
