// Headless Chromium for the dashboard's tests, through playwright-core: finds Debian's chromium
// (EDDY_CHROMIUM, else /usr/bin/chromium, else chromium on PATH), launches it, records the errors a
// page throws, and takes full-page screenshots.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

const INSTALL_HINT = "install Debian's chromium: apt-get install chromium";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to drive: EDDY_CHROMIUM if set (it must exist), else /usr/bin/chromium, else `chromium` on PATH. */
export function findChromium(): string {
  const configured = process.env['EDDY_CHROMIUM'];
  if (configured !== undefined && configured !== '') {
    if (!isExecutable(configured)) throw new Error(`EDDY_CHROMIUM=${configured} is not an executable file; ${INSTALL_HINT}, or point EDDY_CHROMIUM at a Chromium`);
    return configured;
  }
  const onPath = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, 'chromium'));
  const found = ['/usr/bin/chromium', ...onPath].find(isExecutable);
  if (found === undefined) throw new Error(`no Chromium found (EDDY_CHROMIUM, /usr/bin/chromium, chromium on PATH); ${INSTALL_HINT}`);
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
}

/** The errors the page throws and logs from now on (uncaught exceptions and console errors). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** Saves a screenshot of the whole page (beyond the viewport) as a PNG, making its folder. */
export async function screenshotFullPage(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}
