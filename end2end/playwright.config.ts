import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The flags keep it off the network.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

const port = process.env.E2E_PORT || '3000';
export const baseURL = process.env.E2E_BASE_URL || `http://127.0.0.1:${port}`;
/** Where the server's SQLite file is, when this config starts the server (a test
 * ingests into it while a page is open); unknown for a server started elsewhere. */
export const e2eWork = process.env.E2E_BASE_URL ? process.env.E2E_WORK : `/tmp/tickerboard-e2e-${port}`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } }, testIgnore: /updates\.spec\.ts/ },
    {
      name: 'phone',
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
      testIgnore: /updates\.spec\.ts/,
    },
    // Last, once both have run: an ingest replaces the demo data the others read.
    {
      name: 'updates',
      use: { viewport: { width: 1280, height: 800 } },
      testMatch: /updates\.spec\.ts/,
      dependencies: ['desktop', 'phone'],
    },
  ],
  // scripts/test.sh builds the release site first; this starts the real server on it,
  // with a fresh SQLite file (demo data) in a temp dir, and waits until it answers.
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: 'bash ../scripts/e2e-server.sh',
        url: `${baseURL}/healthz`,
        timeout: 60_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        stderr: 'pipe',
        env: { E2E_PORT: port, E2E_WORK: e2eWork! },
      },
});
