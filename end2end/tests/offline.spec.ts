// Installable, with the last data offline (#25): Chromium finds the manifest and the
// worker meet its install criteria; a visited page reloads offline from the worker's
// copy with its data and a banner saying when it is from; a page never visited shows the
// offline page, not the browser's error.
import { test, expect } from '@playwright/test';
import { waitForDrawn } from './helpers';

test('installable, and the pages visited are there offline', async ({ page, context }, info) => {
  test.skip(info.project.name === 'phone', 'the worker and the cache are the same at any size');
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  // The worker is active and controls the page (it claims the pages open when it starts).
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'))
    .toBe('activated');
  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  const parsed = JSON.parse(manifest.data!);
  expect(parsed).toMatchObject({ name: 'tickerboard', display: 'standalone', start_url: '/' });
  expect(parsed.icons.map((i: any) => `${i.sizes} ${i.purpose}`)).toEqual([
    '192x192 any',
    '512x512 any',
    '512x512 maskable',
  ]);
  // Chromium's own install check: nothing missing but a profile that keeps the app
  // (a test's browser context is incognito, which Chromium never installs into).
  const install = await cdp.send('Page.getInstallabilityErrors');
  expect(install.installabilityErrors.map((e: any) => e.errorId).filter((id: string) => id !== 'in-incognito')).toEqual([]);

  // A page the worker has seen: offline, its copy, with the data and the banner.
  await page.reload();
  await waitForDrawn(page, 'IBM');
  const close = await page.getByTestId('key-stats').textContent();
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('offline-banner')).toContainText('You are offline: this is the page as it was on');
  await expect(page.getByTestId('key-stats')).toHaveText(close!);
  await expect(page.getByTestId('news-table').locator('tbody tr').first()).toBeVisible();
  await waitForDrawn(page, 'IBM');
  await page.screenshot({ path: `test-results/offline-${info.project.name}.png`, fullPage: true });
  // A page never visited: the offline page.
  await page.goto('/runs');
  await expect(page.getByTestId('offline-page')).toContainText('You are offline');
  await context.setOffline(false);
  await page.goto('/runs');
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
});
