// Pages that update themselves (#25): a page open in a visible tab learns that an ingest
// changed the data and shows it in place — no navigation, the document kept — with a
// short notice. The ingest is the real CLI (built by the cargo tests) writing into the
// server's SQLite file, Alpha Vantage replaced by a server on loopback that answers the
// recorded IBM series (../shared/fixtures). An ingest into the demo database replaces the
// demo data, so this runs last, in a project of its own (playwright.config.ts).
import { test, expect } from '@playwright/test';
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { collectErrors, waitForDrawn } from './helpers';

// The directory the config's server keeps its SQLite file in (see playwright.config.ts);
// a server started elsewhere says it with E2E_WORK.
const e2eWork = process.env.E2E_BASE_URL
  ? process.env.E2E_WORK
  : `/tmp/tickerboard-e2e-${process.env.E2E_PORT || '3000'}`;
const root = resolve(process.cwd(), '..') + '/';
const ingestBin = `${root}target/debug/ingest`;
const fixture = `${root}../shared/fixtures/alphavantage/time_series_daily_IBM.json`;

test('an ingest while the page is open shows in place, with a notice', async ({ page }, info) => {
  test.skip(!e2eWork || !existsSync(ingestBin), 'needs the server this config starts and the ingest CLI');
  test.setTimeout(90_000);
  const errors = collectErrors(page);
  await page.clock.install();
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  await expect(page.locator('[data-ready]')).toHaveCount(1);
  await page.evaluate(() => ((window as any).__sameDocument = true));
  const summary = page.getByTestId('chart-summary');
  const before = await summary.textContent();
  // The first check (the baseline), then a quiet one: 304.
  const statuses: number[] = [];
  page.on('response', (r) => { if (r.url().endsWith('/data-version')) statuses.push(r.status()); });
  await page.clock.runFor(1_500);
  await page.clock.runFor(31_000);
  await expect.poll(() => statuses.length).toBeGreaterThanOrEqual(2);
  expect(statuses.slice(1)).toContain(304);

  const upstream = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(readFileSync(fixture));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const port = (upstream.address() as any).port;
  try {
    await promisify(execFile)(ingestBin, ['prices', 'IBM', '--full'], {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite://${e2eWork}/tickerboard.db`,
        ALPHAVANTAGE_API_KEY: 'test-key',
        ALPHAVANTAGE_URL: `http://127.0.0.1:${port}`,
      },
    });
  } finally {
    upstream.close();
  }
  // Within a check or two: the server sees the change within its data check (10 s of
  // real time), the page asks every 30 s of its (fast-forwarded) clock.
  for (let i = 0; i < 30 && (await summary.textContent()) === before; i++) {
    await page.clock.runFor(31_000);
    await page.waitForTimeout(1_000);
  }
  await expect(summary).toHaveText(/^IBM: 2 daily prices from 2020-05-07 to 2020-05-08/);
  await expect(page.getByTestId('updated-note')).toContainText('Updated with new data');
  // The same document: no page load, the island showed the new answer.
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(page).toHaveURL(/\/\?symbol=IBM$/);
  await waitForDrawn(page, 'IBM');
  await page.screenshot({ path: `test-results/updated-${info.project.name}.png` });
  expect(errors).toEqual([]);
});
