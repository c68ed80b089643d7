import { test, expect, Page } from '@playwright/test';

// /markets on the demo data set, at both viewports, with and without JavaScript.

async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function symbolsInOrder(page: Page) {
  return page.getByTestId('market-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-symbol')));
}

test('the overview: every symbol, sorted by a heading, a benchmark, a row to its chart', async ({ page }, info) => {
  await page.goto('/markets');
  const table = page.getByTestId('markets');
  await expect(table).toBeVisible();
  const rows = page.getByTestId('market-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(4);
  const first = rows.first();
  await expect(first.getByTestId('sparkline')).toBeVisible();
  await expect(first.locator('svg.range52')).toBeVisible();
  await expect(first.locator('[data-col="1Y"]')).toHaveText(/^[+-]\d+\.\d\d %$/);
  await noHorizontalOverflow(page);
  await page.screenshot({ path: `test-results/markets-${info.project.name}.png`, fullPage: true });

  // Sorting by 1Y (a plain link): biggest first, then the other way.
  const before = await symbolsInOrder(page);
  if (info.project.name === 'desktop') {
    await table.locator('th[data-sort="1y"] a').click();
  } else {
    await page.goto('/markets?sort=1y'); // phones show rows as cards, without headings
  }
  await expect(page).toHaveURL(/sort=1y/);
  const values = await page.locator('[data-testid="market-row"] [data-col="1Y"]').allTextContents();
  const numbers = values.map((v) => parseFloat(v));
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  expect(await symbolsInOrder(page)).not.toEqual(before);

  // Relative to IBM: a second line in every return cell; IBM's own is +0.00 pp.
  await page.getByTestId('benchmark').selectOption('IBM');
  await page.getByTestId('markets-form').getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/vs=IBM/);
  await expect(page.locator('[data-symbol="IBM"] [data-col="1Y"] [data-testid="relative"]')).toHaveText('+0.00 pp vs IBM');
  await noHorizontalOverflow(page);

  // A row opens its chart.
  await page.locator('[data-symbol="BTC"]').getByTestId('market-link').click();
  await expect(page).toHaveURL(/\/\?symbol=BTC$/);
  await expect(page.getByTestId('symbol-select')).toHaveValue('BTC');
});

test('a watchlist is kept in the URL and remembered for the navigation', async ({ page }, info) => {
  await page.goto('/markets');
  await page.getByTestId('watchlist').fill('btc, IBM');
  await page.getByTestId('markets-form').getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/symbols=BTC,IBM/);
  expect(await symbolsInOrder(page)).toEqual(['BTC', 'IBM']);
  await page.screenshot({ path: `test-results/markets-watchlist-${info.project.name}.png`, fullPage: true });

  // Elsewhere, the navigation's Markets link opens the watchlist.
  await page.goto('/weather');
  const link = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Markets' });
  await expect(link).toHaveAttribute('href', '/markets?symbols=BTC,IBM');
  await link.click();
  await expect(page).toHaveURL(/\/markets\?symbols=BTC,IBM$/);
  expect(await symbolsInOrder(page)).toEqual(['BTC', 'IBM']);

  // The field cleared: every symbol again, and nothing remembered.
  await page.getByTestId('watchlist').fill('');
  await page.getByTestId('markets-form').getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\/markets$/);
  await expect.poll(async () => (await symbolsInOrder(page)).length).toBeGreaterThan(2);
  await page.goto('/weather');
  await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Markets' })).toHaveAttribute('href', '/markets');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the overview, its sort links and its form work as plain HTML', async ({ page }, info) => {
    await page.goto('/markets?sort=1d&dir=desc');
    await expect(page.getByTestId('markets')).toBeVisible();
    const values = (await page.locator('[data-testid="market-row"] [data-col="1D"]').allTextContents()).map((v) => parseFloat(v));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    await page.getByTestId('watchlist').fill('ETH,MSFT');
    await page.getByTestId('markets-form').getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/symbols=ETH%2CMSFT|symbols=ETH,MSFT/);
    await expect(page.getByTestId('market-row')).toHaveCount(2);
    await noHorizontalOverflow(page);
    await page.screenshot({ path: `test-results/markets-nojs-${info.project.name}.png`, fullPage: true });
  });
});
