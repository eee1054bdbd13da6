import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/ci/chromium.ts';

/**
 * Browser suites for the course site (test/site) and the hub (test/hub-e2e).
 * The Chromium is chosen by scripts/ci/chromium.ts: LEAKLAB_CHROMIUM, else Debian's
 * /usr/bin/chromium, else Playwright's own download, else the one an npm package ships (which
 * `npm test` installs on demand before this config is read). With none of them, Playwright looks
 * for its own and says how to install it.
 */
const chromium = findChromium();

const SITE_PORT = Number(process.env.LEAKLAB_SITE_PORT ?? 4399);

export default defineConfig({
  testMatch: '**/*.spec.ts',
  outputDir: 'output/test-results',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: chromium?.executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'site', testDir: 'test/site', use: { baseURL: `http://127.0.0.1:${SITE_PORT}` } },
    { name: 'hub', testDir: 'test/hub-e2e' },
  ],
  // The built site, served as a learner without the hub would see it.
  webServer: {
    command: `npx astro preview --host 127.0.0.1 --port ${SITE_PORT}`,
    url: `http://127.0.0.1:${SITE_PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
