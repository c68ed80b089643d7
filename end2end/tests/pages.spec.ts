import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'fs';
import { waitForDrawn } from './helpers';

// /weather, /runs, the navigation, the headline search and the CSV downloads, on the
// demo data set the e2e server starts with (a fresh SQLite file), at both viewports.

/** Puts a marker on the window: it survives client-side navigation, not a page load. */
async function mark(page: Page) {
  await page.evaluate(() => ((window as any).__stayed = true));
}
async function stayed(page: Page) {
  return page.evaluate(() => (window as any).__stayed === true);
}

/** The WebAssembly has taken over the page (it marks the html element). */
async function hydrated(page: Page) {
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('the navigation moves between the pages in place and marks the current one', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await expect(nav.getByRole('link', { name: 'Prices' })).toHaveAttribute('aria-current', 'page');
  await mark(page);

  await nav.getByRole('link', { name: 'Weather' }).click();
  await expect(page).toHaveURL(/\/weather$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Weather');
  await expect(nav.getByRole('link', { name: 'Weather' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Prices' })).not.toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('weather-table')).toBeVisible();

  await nav.getByRole('link', { name: 'Runs' }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByTestId('runs-table')).toBeVisible();
  await expect(page).toHaveTitle('Runs · tickerboard');
  expect(await stayed(page), 'client-side navigation, no page load').toBe(true);

  await page.goBack();
  await expect(page).toHaveURL(/\/weather$/);
  await expect(page.getByTestId('weather-table')).toBeVisible();

  // Back to the prices in place: the home island that came with the page hydrates and
  // draws, and its range buttons work.
  await nav.getByRole('link', { name: 'Prices' }).click();
  await expect(page).toHaveURL(/\/$/);
  await waitForDrawn(page, 'IBM');
  await page.getByRole('button', { name: '1Y' }).click();
  await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', 'IBM 1Y');
  await expect(page).toHaveURL(/\/\?range=1Y$/);
  expect(await stayed(page), 'still no page load').toBe(true);
});

test('weather: every city, the unit toggle and the city history follow the URL', async ({ page }, info) => {
  await page.goto('/weather');
  await hydrated(page);
  const rows = page.getByTestId('weather-table').locator('tbody tr');
  await expect(rows).toHaveCount(5);
  await expect(rows.first().getByTestId('temp')).toHaveText(/°C$/);
  await expect(page.getByTestId('weather-chart').locator('polyline')).toHaveCount(1);
  await mark(page);

  await page.getByTestId('unit-other').click();
  await expect(page).toHaveURL(/unit=f/);
  await expect(rows.first().getByTestId('temp')).toHaveText(/°F$/);
  await expect(page.getByTestId('weather-chart').locator('.legend')).toContainText('(°F)');

  await page.getByTestId('city-select').selectOption('Sydney');
  await expect(page).toHaveURL(/city=Sydney&unit=f/);
  await expect(page.getByTestId('weather-chart').locator('.legend')).toHaveText('Sydney (°F)');
  await expect(page.getByTestId('weather-summary')).toContainText('Sydney: 112 observations');
  expect(await stayed(page)).toBe(true);

  await page.reload();
  await expect(page.getByTestId('city-select')).toHaveValue('Sydney');
  await expect(rows.first().getByTestId('temp')).toHaveText(/°F$/);
  await noHorizontalOverflow(page);
  await page.screenshot({ path: `test-results/weather-${info.project.name}.png`, fullPage: true });
});

test('runs: the demo runs, a filter by status, and a clear way back', async ({ page }, info) => {
  await page.goto('/runs');
  await hydrated(page);
  const table = page.getByTestId('runs-table');
  await expect(table.locator('tbody tr[data-run]')).toHaveCount(3);
  await expect(table.locator('tbody tr[data-run]').first()).toContainText('succeeded');
  await page.locator('#run-status').selectOption('failed');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByTestId('runs-empty')).toHaveText('No runs match this filter.');
  await page.getByRole('link', { name: 'Clear' }).click();
  await expect(table.locator('tbody tr[data-run]')).toHaveCount(3);
  await noHorizontalOverflow(page);
  await page.screenshot({ path: `test-results/runs-${info.project.name}.png`, fullPage: true });

  // The freshness line on / leads here, filtered to the source.
  await page.goto('/');
  await page.getByTestId('freshness').getByRole('link', { name: /^weather/ }).click();
  await expect(page).toHaveURL(/\/runs\?source=weather$/);
  await expect(table.locator('tbody tr[data-run]')).toHaveCount(1);
});

test('headlines: searched on the server, with an empty result that says so', async ({ page }, info) => {
  await page.goto('/?symbol=ETH');
  await hydrated(page);
  await mark(page);
  const search = page.getByTestId('news-search');
  await search.fill('GAS');
  await search.press('Enter');
  await expect(page).toHaveURL(/symbol=ETH&q=GAS/);
  const rows = page.getByTestId('news-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  for (const text of await rows.allTextContents()) expect(text.toLowerCase()).toContain('gas');
  expect(await stayed(page)).toBe(true);

  await search.fill('no such headline %_');
  await search.press('Enter');
  await expect(page.getByTestId('news-empty')).toHaveText('No headlines match “no such headline %_”.');
  // Another symbol keeps the search.
  await page.getByTestId('symbol-select').selectOption('BTC');
  await expect(page).toHaveURL(/symbol=BTC&q=no%20such/);
  await noHorizontalOverflow(page);
  await page.screenshot({ path: `test-results/search-${info.project.name}.png`, fullPage: true });
});

test('CSV downloads: prices and headlines arrive as files a parser reads', async ({ page }) => {
  await page.goto('/?symbol=MSFT');
  await hydrated(page);
  const [prices] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').filter({ hasText: 'Prices CSV' }).click(),
  ]);
  expect(prices.suggestedFilename()).toBe('MSFT-prices.csv');
  const lines = readFileSync((await prices.path())!, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('symbol,date,open,high,low,close,volume');
  expect(lines.length).toBeGreaterThan(1000);
  expect(lines[1]).toMatch(/^MSFT,\d{4}-\d{2}-\d{2},[\d.]+,/);

  const [news] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').filter({ hasText: 'Headlines CSV' }).click(),
  ]);
  expect(news.suggestedFilename()).toBe('headlines.csv');
  const text = readFileSync((await news.path())!, 'utf8');
  expect(text.split('\n')[0]).toBe('published_at,coin,title,url');
  // The page is still there: the router left the download to the browser.
  await expect(page.getByTestId('symbol-select')).toHaveValue('MSFT');
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('navigation, weather, runs and search work as plain links and forms', async ({ page }, info) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Weather' }).click();
    await expect(page).toHaveURL(/\/weather$/);
    await expect(page.getByTestId('weather-table').locator('tbody tr')).toHaveCount(5);
    await expect(page.getByTestId('weather-chart').locator('polyline')).toHaveCount(1);
    await page.getByTestId('unit-other').click();
    await expect(page).toHaveURL(/unit=f/);
    await page.getByTestId('city-select').selectOption('London');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/city=London&unit=f/);
    await expect(page.getByTestId('weather-chart').locator('.legend')).toHaveText('London (°F)');
    await page.screenshot({ path: `test-results/nojs-weather-${info.project.name}.png`, fullPage: true });

    await page.getByRole('link', { name: 'Runs' }).click();
    await page.locator('#run-source').selectOption('news');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/source=news/);
    await expect(page.getByTestId('runs-table').locator('tbody tr[data-run]')).toHaveCount(1);

    await page.goto('/?symbol=BTC');
    await page.getByTestId('news-search').fill('hash rate');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/symbol=BTC&q=hash\+rate/);
    await expect(page.getByTestId('news-table').locator('tbody tr')).toHaveCount(1);
  });
});
