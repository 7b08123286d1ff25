// Debian's Chromium through playwright-core, as the machine notes say to run it headless here:
// no sandbox (root), no GPU, no background traffic, a fresh profile in a temporary folder.
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './cli.js';

export const CHROMIUM = '/usr/bin/chromium';

export const launchChromium = (): Promise<BrowserContext> =>
  chromium.launchPersistentContext(tempDir('prodx-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
