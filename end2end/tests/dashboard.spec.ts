import { test, expect, Page } from '@playwright/test';
import { collectErrors, drawnOption, layoutShifts, slowCpu, waitForDrawn, watchLayoutShifts } from './helpers';


/** The series the server has for a symbol, from the ECharts option its server function builds. */
async function serverSeries(page: Page, symbol: string) {
  const res = await page.request.post('/api/dashboard', { form: { symbol } });
  expect(res.ok()).toBeTruthy();
  const option = JSON.parse((await res.json()).chart.option);
  const rows = option.dataset.source as any[][];
  return { dates: rows.map((r) => r[0] as string), close: rows.map((r) => r[1] as number) };
}



test('the chart is drawn from the server-rendered data, with zoom', async ({ page }, info) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('tickerboard');
  await expect(page.getByTestId('symbol-select')).toHaveValue('IBM');
  await waitForDrawn(page, 'IBM');
  const drawn = await drawnOption(page);
  const expected = await serverSeries(page, 'IBM');
  expect(drawn).not.toBeNull();
  expect(drawn!.canvas).toBe(true);
  expect(drawn!.series.map((s: any) => s.name)).toEqual(['IBM close']);
  expect(drawn!.rows).toBe(expected.close.length);
  expect(drawn!.lastDate).toBe(expected.dates[expected.dates.length - 1]);
  expect(drawn!.lastClose).toBe(expected.close[expected.close.length - 1]);
  expect(drawn!.zoom.sort()).toEqual(['inside', 'slider']);
  // The canvas really has pixels on it.
  const box = await page.getByTestId('price-chart').boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.height).toBeGreaterThan(200);
  await page.screenshot({ path: `test-results/home-${info.project.name}.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('the chart is in the first paint, and ECharts takes over without moving anything', async ({ page }, info) => {
  const errors = collectErrors(page);
  // Every layout shift of the page's life (CLS), on a slow phone's CPU; and whether the
  // server's drawing was there before any script of the page ran.
  await watchLayoutShifts(page);
  await slowCpu(page);
  await page.addInitScript(() => {
    const w = window as any;
    document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive' && w.__previewLines === undefined) {
        w.__previewLines = document.querySelectorAll('[data-testid=price-chart] .chart-static polyline').length;
      }
    });
  });
  await page.goto('/');
  expect(await page.evaluate(() => (window as any).__previewLines)).toBe(1);
  await waitForDrawn(page, 'IBM');
  await expect(page.locator('[data-testid=price-chart] .chart-static svg')).toHaveCount(0);
  await page.waitForTimeout(500);
  const { cls, moved } = await layoutShifts(page);
  expect(cls, `CLS on ${info.project.name}: ${moved.join(', ')}`).toBeLessThanOrEqual(0.01);
  expect(errors).toEqual([]);
});

test('picking another symbol redraws in place and updates the URL; reload and Back keep it', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForDrawn(page, 'IBM');
  const navigations: string[] = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  // Marks the document: a full reload would lose it.
  await page.evaluate(() => ((window as any).__sameDocument = true));

  await page.getByTestId('symbol-select').selectOption('BTC');
  await expect(page).toHaveURL(/\?symbol=BTC$/);
  await waitForDrawn(page, 'BTC');
  const drawn = await drawnOption(page);
  const btc = await serverSeries(page, 'BTC');
  // The close, and BTC's news markers (its coin has headlines).
  expect(drawn!.series.map((s: any) => s.name)).toEqual(['BTC close', 'News']);
  expect(drawn!.rows).toBe(btc.close.length);
  expect(drawn!.lastClose).toBe(btc.close[btc.close.length - 1]);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  // The table follows: bitcoin headlines only.
  const table = page.getByTestId('news-table');
  await expect(table.locator('caption')).toHaveText('Latest bitcoin headlines');
  const hrefs = await table.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const h of hrefs) expect(h).toContain('/bitcoin/');

  await page.reload();
  await expect(page.getByTestId('symbol-select')).toHaveValue('BTC');
  await waitForDrawn(page, 'BTC');

  await page.getByTestId('symbol-select').selectOption('TSLA');
  await waitForDrawn(page, 'TSLA');
  await page.goBack();
  await expect(page).toHaveURL(/\?symbol=BTC$/);
  await expect(page.getByTestId('symbol-select')).toHaveValue('BTC');
  await waitForDrawn(page, 'BTC');
  expect(errors).toEqual([]);
});

test('range buttons zoom the chart', async ({ page }) => {
  await page.goto('/?symbol=MSFT');
  await waitForDrawn(page, 'MSFT');
  await page.getByRole('button', { name: '1M' }).click();
  await expect(page.getByRole('button', { name: '1M' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', 'MSFT 1M');
  const zoom = await page.evaluate(() => {
    const el = document.getElementById('price-chart') as HTMLElement;
    const opt = (window as any).echarts.getInstanceByDom(el).getOption();
    return { start: opt.dataZoom[0].startValue, end: opt.dataZoom[0].endValue };
  });
  // About 21 trading days in a month.
  expect(zoom.end - zoom.start).toBeGreaterThan(15);
  expect(zoom.end - zoom.start).toBeLessThan(25);
});

test('headline links point out, safely', async ({ page }) => {
  await page.goto('/');
  const links = page.getByTestId('news-table').locator('tbody a');
  expect(await links.count()).toBeGreaterThan(5);
  for (const a of await links.all()) {
    const href = (await a.getAttribute('href'))!;
    expect(href).toMatch(/^https?:\/\//);
    expect(new URL(href).host).not.toBe(new URL(page.url()).host);
    expect(await a.getAttribute('rel')).toBe('noopener noreferrer');
  }
});

test('no horizontal overflow', async ({ page }, info) => {
  for (const path of ['/', '/?symbol=BTC', '/?symbol=NOPE']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} on ${info.project.name}`).toBeLessThanOrEqual(0);
  }
});

test('an unknown symbol says so', async ({ page }) => {
  const res = await page.goto('/?symbol=NOPE');
  expect(res!.status()).toBe(404);
  await expect(page.getByTestId('notice')).toContainText('There are no prices for NOPE');
  await expect(page.getByTestId('symbol-select')).toBeVisible();
});

test('the chart follows the window size', async ({ page }) => {
  await page.goto('/');
  await waitForDrawn(page, 'IBM');
  const canvasWidth = async () => (await page.locator('[data-testid=price-chart] canvas').first().boundingBox())!.width;
  const containerWidth = () => page.getByTestId('price-chart').evaluate((el) => el.clientWidth);
  const before = await canvasWidth();
  const vp = page.viewportSize()!;
  await page.setViewportSize({ width: vp.width > 600 ? 700 : 360, height: vp.height });
  const target = await containerWidth();
  expect(target).toBeLessThan(before - 20);
  await expect.poll(canvasWidth).toBeCloseTo(target, 0);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the table and the form still work', async ({ page }, info) => {
    await page.goto('/');
    await expect(page.getByTestId('news-table').locator('tbody tr')).not.toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Show' })).toBeVisible();
    await page.getByTestId('symbol-select').selectOption('ETH');
    await page.getByRole('button', { name: 'Show' }).click();
    // A plain form sends every control: the chart's too.
    await expect(page).toHaveURL(/\?symbol=ETH&chart=line&compare=$/);
    await expect(page.getByTestId('news-table').locator('caption')).toHaveText('Latest ethereum headlines');
    await expect(page.getByTestId('chart-summary')).toContainText('ETH:');
    await expect(page.getByTestId('key-stats')).toBeVisible();
    await expect(page.getByTestId('stat-range-return').locator('dt')).toHaveText('Return, All');
    // The server's drawing of the chart: the close, the legend, the axes.
    const chart = page.getByTestId('price-chart');
    await expect(chart).toBeVisible();
    await expect(chart.locator('polyline')).toHaveCount(1);
    await expect(chart.locator('.legend')).toHaveText(/ETH close/);
    expect(await chart.locator('.y').count()).toBeGreaterThan(2);
    expect(await chart.locator('.x').count()).toBeGreaterThan(2);
    const box = (await chart.locator('svg').boundingBox())!;
    expect(box.width).toBeGreaterThan(200);
    expect(box.height).toBeGreaterThan(120);
    await page.screenshot({ path: `test-results/nojs-${info.project.name}.png`, fullPage: true });
  });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`key stats, ${colorScheme} scheme`, () => {
    test.use({ colorScheme });

    test('follow the range buttons and the selection without a reload', async ({ page }, info) => {
      await page.goto('/?symbol=IBM');
      await waitForDrawn(page, 'IBM');
      const stats = page.getByTestId('key-stats');
      await expect(stats).toBeVisible();
      await expect(page.getByTestId('stat-last')).toContainText(/\d+\.\d{2}\s*\d{4}-\d{2}-\d{2}/);
      await expect(page.getByTestId('stat-change')).toContainText(/[▲▼■] [+-]\d+\.\d{2} \([+-]\d+\.\d{2} %\)/);
      const all = await page.getByTestId('stat-range-return').locator('dd').textContent();
      await expect(page.getByTestId('stat-range-return').locator('dt')).toHaveText('Return, All');
      await page.evaluate(() => ((window as any).__stayed = true));

      await page.locator('.ranges button[data-range="1Y"]').click();
      await expect(page.getByTestId('stat-range-return').locator('dt')).toHaveText('Return, 1Y');
      await expect(page.getByTestId('stat-range-return').locator('dd')).not.toHaveText(all!);

      const ibmLast = await page.getByTestId('stat-last').textContent();
      await page.getByTestId('symbol-select').selectOption('BTC');
      await waitForDrawn(page, 'BTC');
      await expect(page.getByTestId('stat-last')).not.toHaveText(ibmLast!);
      expect(await page.evaluate(() => (window as any).__stayed === true)).toBe(true);
      // The change's colour is the scheme's, and the text says the direction too.
      const color = await page.getByTestId('stat-change').locator('dd').evaluate((el) => getComputedStyle(el).color);
      const text = await page.locator('body').evaluate((el) => getComputedStyle(el).color);
      const direction = await page.getByTestId('stat-change').getAttribute('class');
      if (!direction!.includes('flat')) expect(color).not.toBe(text);
      await stats.screenshot({ path: `test-results/key-stats-${colorScheme}-${info.project.name}.png` });
    });
  });
}

test('the range is in the URL: a button replaces it, reload and another symbol keep it, Back skips it', async ({ page }) => {
  await page.goto('/?symbol=MSFT');
  await waitForDrawn(page, 'MSFT');
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  const entries = await page.evaluate(() => history.length);
  await page.getByRole('button', { name: '1Y' }).click();
  await expect(page).toHaveURL(/\/\?symbol=IBM&range=1Y$/);
  await page.getByRole('button', { name: '6M' }).click();
  await expect(page).toHaveURL(/\/\?symbol=IBM&range=6M$/);
  expect(await page.evaluate(() => history.length), 'replaced, not pushed').toBe(entries);

  await page.reload();
  await waitForDrawn(page, 'IBM');
  await expect(page.getByRole('button', { name: '6M' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', 'IBM 6M');
  await expect(page.getByTestId('stat-range-return').locator('dt')).toHaveText('Return, 6M');

  await page.getByTestId('symbol-select').selectOption('BTC');
  await expect(page).toHaveURL(/\/\?symbol=BTC&range=6M$/);
  await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', 'BTC 6M');

  await page.goBack();
  await expect(page).toHaveURL(/\/\?symbol=IBM&range=6M$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/\?symbol=MSFT$/);
  await expect(page.getByRole('button', { name: 'All' })).toHaveAttribute('aria-pressed', 'true');
});
