import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Browser suites for the course site (test/site) and the hub (test/hub-e2e).
 * Chromium comes from Debian (/usr/bin/chromium) because test tools cannot download browsers here;
 * elsewhere set LEAKLAB_CHROMIUM or run `npx playwright install chromium` and leave it unset.
 */
const systemChromium = process.env.LEAKLAB_CHROMIUM ?? (process.platform === 'linux' ? '/usr/bin/chromium' : undefined);
const executablePath = systemChromium && existsSync(systemChromium) ? systemChromium : undefined;

const SITE_PORT = Number(process.env.LEAKLAB_SITE_PORT ?? 4399);

export default defineConfig({
  testMatch: '**/*.spec.ts',
  outputDir: 'output/test-results',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath,
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
