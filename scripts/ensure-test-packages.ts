// Run by `npm test` first: installs what the tests need from Debian when it is missing (chromium for the
// browser tests; postgresql and redis-server, which the tests start privately: scripts/testServices.ts).
// Fails loudly if it cannot.
import { CHROMIUM_PATH } from '../e2e/browser';
import { ensureDebianPackages, fileExists } from './debianPackages';
import { servicePackages } from './testServices';

ensureDebianPackages([{ name: 'chromium', installed: fileExists(CHROMIUM_PATH) }, ...servicePackages()]);
