// Run by `npm test` before the browser tests: installs Debian's chromium when /usr/bin/chromium is
// missing (scripts/debianPackages.ts). Fails loudly if it cannot.
import { CHROMIUM_PATH } from '../e2e/browser';
import { ensureDebianPackages, fileExists } from './debianPackages';

ensureDebianPackages([{ name: 'chromium', installed: fileExists(CHROMIUM_PATH) }]);
