// The home page's island: once the WebAssembly runs it, every change is its state,
// answered by `get_dashboard` through Leptos' server-function client (POST
// /api/dashboard); no page's HTML is fetched. Before it runs, and without JavaScript,
// the same form and links load pages the ordinary way.
import { test, expect, Page, Request } from '@playwright/test';
import { collectErrors, drawnOption, waitForDrawn } from './helpers';

/** Every request the page makes from now on: method, path and query, kind. */
function recordRequests(page: Page) {
  const seen: { method: string; path: string; type: string; body: string }[] = [];
  page.on('request', (r: Request) => {
    const url = new URL(r.url());
    seen.push({ method: r.method(), path: url.pathname + url.search, type: r.resourceType(), body: r.postData() ?? '' });
  });
  return seen;
}

/** Requests for a page's HTML: a navigation, or a fetch of `/…` that is no API call. */
function htmlRequests(seen: ReturnType<typeof recordRequests>) {
  return seen.filter((r) => r.type === 'document' || (r.method === 'GET' && (r.path === '/' || r.path.startsWith('/?'))));
}

async function waitForReady(page: Page) {
  await expect(page.locator('[data-owner="/"][data-ready]')).toHaveCount(1);
}

test('a selection asks the server function once: chart, stats, summary and headlines follow, no HTML fetched', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  await waitForReady(page);
  const ibmLast = await page.getByTestId('stat-last').textContent();
  await expect(page.getByTestId('news-table').locator('caption')).not.toHaveText('Latest bitcoin headlines');
  const seen = recordRequests(page);

  await page.getByTestId('symbol-select').selectOption('BTC');
  await waitForDrawn(page, 'BTC');
  await expect(page).toHaveURL(/\/\?symbol=BTC$/);
  await expect(page.getByTestId('chart-summary')).toContainText(/^BTC: \d+ daily prices/);
  await expect(page.getByTestId('stat-last')).not.toHaveText(ibmLast!);
  const table = page.getByTestId('news-table');
  await expect(table.locator('caption')).toHaveText('Latest bitcoin headlines');
  for (const h of await table.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    expect(h).toContain('/bitcoin/');
  }
  // The page's canonical link and the CSV links follow the state too.
  await expect(page.locator('link[rel=canonical]')).toHaveAttribute('href', '/?symbol=BTC');
  await expect(page.getByTestId('download-csv').first()).toHaveAttribute('href', /symbol=BTC/);

  const calls = seen.filter((r) => r.method === 'POST' && r.path === '/api/dashboard');
  expect(calls.map((c) => c.body)).toEqual(['symbol=BTC']);
  expect(htmlRequests(seen)).toEqual([]);
  expect(errors).toEqual([]);
});

test('each chart control, "More headlines" and the search are the island\'s state: one POST each, no HTML', async ({ page }) => {
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  await waitForReady(page);
  const seen = recordRequests(page);
  const entries = await page.evaluate(() => history.length);

  await page.getByTestId('chart-kind').getByText('Candles').click();
  await expect(page).toHaveURL(/\/\?symbol=IBM&chart=candles$/);
  await page.getByTestId('chart-log').check();
  await expect(page).toHaveURL(/\/\?symbol=IBM&chart=candles&scale=log$/);
  await page.getByTestId('compare-add').selectOption('MSFT');
  await expect(page).toHaveURL(/compare=MSFT/);
  await expect(page.getByTestId('compare-chip')).toHaveText(['MSFT✕']);
  await expect(page.getByTestId('compare-add'), 'back to "Add…"').toHaveValue('');
  await page.getByTestId('compare-chip').getByRole('link').click();
  await expect(page.getByTestId('compare-chip')).toHaveCount(0);
  expect(await page.evaluate(() => history.length), 'chart controls replace the entry').toBe(entries);

  await page.getByTestId('news-search').fill('ETF');
  await page.getByTestId('news-search').press('Enter');
  await expect(page).toHaveURL(/[?&]q=ETF/);
  await expect(page.getByTestId('news-table').locator('caption')).toContainText('ETF');

  const posts = seen.filter((r) => r.method === 'POST' && r.path === '/api/dashboard');
  expect(posts.length).toBe(5);
  expect(posts[0].body).toBe('symbol=IBM&chart=candles');
  expect(htmlRequests(seen)).toEqual([]);
});

test('Back and Forward restore each view through the same state, without fetching a page', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  await waitForReady(page);
  const seen = recordRequests(page);

  await page.getByTestId('symbol-select').selectOption('BTC');
  await waitForDrawn(page, 'BTC');
  await page.getByTestId('chart-kind').getByText('Candles').click();
  await expect(page).toHaveURL(/\/\?symbol=BTC&chart=candles$/);
  await page.getByRole('button', { name: '1Y' }).click();
  await expect(page).toHaveURL(/\/\?symbol=BTC&range=1Y&chart=candles$/);
  await page.getByTestId('symbol-select').selectOption('TSLA');
  await waitForDrawn(page, 'TSLA');
  // Another symbol keeps the chart's view.
  await expect(page).toHaveURL(/\/\?symbol=TSLA&range=1Y&chart=candles$/);

  await page.goBack();
  await expect(page).toHaveURL(/\/\?symbol=BTC&range=1Y&chart=candles$/);
  await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', 'BTC 1Y');
  await expect(page.getByTestId('symbol-select')).toHaveValue('BTC');
  await expect(page.getByTestId('chart-kind').locator('input[value=candles]')).toBeChecked();
  await expect(page.getByRole('button', { name: '1Y' })).toHaveAttribute('aria-pressed', 'true');

  await page.goBack();
  await expect(page).toHaveURL(/\/\?symbol=IBM$/);
  await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', 'IBM All');
  await expect(page.getByTestId('symbol-select')).toHaveValue('IBM');
  await expect(page.getByTestId('chart-kind').locator('input[value=line]')).toBeChecked();
  await expect(page.getByTestId('news-table').locator('caption')).not.toHaveText('Latest bitcoin headlines');

  await page.goForward();
  await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', 'BTC 1Y');
  await expect(page.getByTestId('news-table').locator('caption')).toHaveText('Latest bitcoin headlines');
  await page.goForward();
  await waitForDrawn(page, 'TSLA');

  expect(htmlRequests(seen)).toEqual([]);
  expect(seen.filter((r) => r.path === '/api/dashboard').length).toBeGreaterThanOrEqual(4);
  expect(errors).toEqual([]);
});

/** Holds the WebAssembly back until the returned function is called. */
async function holdWasm(page: Page) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** What ECharts shows on the page: the first series' colour, both zooms' windows,
 * whether the tooltip has the WebAssembly's formatter. */
async function echartsState(page: Page) {
  return page.evaluate(() => {
    const el = document.getElementById('price-chart')!;
    const chart = (window as any).echarts?.getInstanceByDom(el);
    if (!chart) return null;
    const o = chart.getOption();
    return {
      color: o.series[0].lineStyle?.color,
      zoom: o.dataZoom.map((z: any) => [z.startValue, z.endValue]),
      formatter: typeof o.tooltip[0].formatter,
      early: el.hasAttribute('data-early'),
    };
  });
}

test.describe('before hydration', () => {
  // The service worker would hand the page the wasm from its cache, around the held route.
  test.use({ serviceWorkers: 'block' });

  test('a change before the WebAssembly is ready loads its page as a form would', async ({ page }) => {
    const release = await holdWasm(page);
    await page.goto('/?symbol=IBM', { waitUntil: 'domcontentloaded' });
    await expect(page.locator('[data-owner="/"]')).toHaveCount(1);
    await expect(page.locator('[data-ready]')).toHaveCount(0);
    await page.getByTestId('symbol-select').selectOption('MSFT');
    await expect(page).toHaveURL(/\/\?symbol=MSFT$/);
    // The server's page: its summary and its chart, before any WebAssembly (ECharts
    // draws the page's option once it has run; the server's SVG until then).
    await expect(page.getByTestId('chart-summary')).toContainText(/^MSFT: /);
    await expect(page.locator('[data-testid=price-chart] .chart-static svg, #price-chart canvas').first()).toBeVisible();
    // ECharts draws the new page's option too, still before the WebAssembly.
    await expect.poll(async () => (await drawnOption(page))?.series[0]?.name).toBe('MSFT close');
    await expect(page.getByTestId('price-chart')).not.toHaveAttribute('data-drawn', /./);
    release();
    await waitForDrawn(page, 'MSFT');
    await waitForReady(page);
    // From then on the island takes the changes.
    const seen = recordRequests(page);
    await page.getByTestId('symbol-select').selectOption('AAPL');
    await waitForDrawn(page, 'AAPL');
    expect(htmlRequests(seen)).toEqual([]);
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`ECharts draws the page's option before the WebAssembly, which takes it over (${scheme})`, async ({ page }) => {
      const errors = collectErrors(page);
      await page.emulateMedia({ colorScheme: scheme });
      const release = await holdWasm(page);
      await page.goto('/?symbol=IBM&range=1y');
      // Drawn by the page's script: the server's option in the reader's colours, at the
      // range's window, the server's SVG gone; ECharts' own tooltip, nothing hydrated.
      await expect.poll(() => echartsState(page)).not.toBeNull();
      const early = (await echartsState(page))!;
      expect(early.early).toBe(true);
      expect(early.color).toBe(scheme === 'dark' ? '#ffb454' : '#b3541e');
      expect(early.formatter).not.toBe('function');
      const [start, end] = early.zoom[0];
      // A year of the demo's days (not all of them).
      expect(start).toBeGreaterThan(0);
      expect(end - start).toBeGreaterThan(200);
      expect(end - start).toBeLessThan(400);
      expect(early.zoom[1]).toEqual([start, end]);
      await expect(page.locator('[data-testid=price-chart] .chart-static svg')).toHaveCount(0);
      await expect(page.getByTestId('price-chart')).not.toHaveAttribute('data-drawn', /./);
      // The reader zooms before the WebAssembly has come.
      await page.evaluate((s) => {
        const chart = (window as any).echarts.getInstanceByDom(document.getElementById('price-chart'));
        chart.dispatchAction({ type: 'dataZoom', startValue: s + 100, endValue: s + 150 });
      }, start);
      release();
      await waitForDrawn(page, 'IBM');
      await waitForReady(page);
      // The WebAssembly's drawing: its tooltip, the same colours, the reader's zoom.
      const taken = (await echartsState(page))!;
      expect(taken).toEqual({ ...early, early: false, formatter: 'function', zoom: [[start + 100, start + 150], [start + 100, start + 150]] });
      expect(errors).toEqual([]);
    });
  }

  test('a page nav.js brings before the WebAssembly is drawn early too', async ({ page }) => {
    const release = await holdWasm(page);
    await page.goto('/?symbol=MSFT');
    const chartId = () => page.evaluate(() => (window as any).echarts?.getInstanceByDom(document.getElementById('price-chart'))?.id);
    await expect.poll(chartId).toBeTruthy();
    const first = await chartId();
    // A link before the island hydrates: nav.js fetches the page and morphs it in (the
    // box gets the new page's SVG); the new page's option is drawn.
    await page.getByRole('navigation').getByRole('link', { name: 'Prices' }).click();
    await expect(page.getByTestId('chart-summary')).toContainText(/^IBM: /);
    await expect.poll(chartId).not.toBe(first);
    expect((await drawnOption(page))!.series[0].name).toBe('IBM close');
    expect((await echartsState(page))!.early).toBe(true);
    await expect(page.locator('[data-testid=price-chart] .chart-static svg')).toHaveCount(0);
    release();
    await waitForDrawn(page, 'IBM');
  });

  test('a compared view waits for the WebAssembly (its % change is computed there)', async ({ page }) => {
    const release = await holdWasm(page);
    await page.goto('/?symbol=IBM&compare=MSFT');
    await expect(page.locator('[data-testid=price-chart] .chart-static svg')).toBeVisible();
    await page.waitForFunction(() => (window as any).echarts);
    expect(await echartsState(page)).toBeNull();
    release();
    await waitForDrawn(page, 'IBM');
  });
});

test('from another page and back, the island comes with the page and runs', async ({ page }) => {
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  await page.getByRole('navigation').getByRole('link', { name: 'Weather' }).click();
  await expect(page).toHaveURL(/\/weather/);
  await page.goBack();
  await expect(page).toHaveURL(/\/\?symbol=IBM$/);
  await waitForDrawn(page, 'IBM');
  await waitForReady(page);
  const seen = recordRequests(page);
  await page.getByTestId('symbol-select').selectOption('BTC');
  await waitForDrawn(page, 'BTC');
  await expect(page.getByTestId('news-table').locator('caption')).toHaveText('Latest bitcoin headlines');
  expect(htmlRequests(seen)).toEqual([]);
});
