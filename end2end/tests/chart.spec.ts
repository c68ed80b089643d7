// The chart a market watcher expects (#10): candles and volume, moving averages, the log
// scale, compare, every view a URL, the tooltip, copy link. Each runs at 1280×800 and
// 390×844 (the projects) and in both colour schemes, reading ECharts' own option.
import { test, expect, Page } from '@playwright/test';
import { collectErrors, waitForDrawn } from './helpers';

/** What ECharts draws now: series, axes, the candles' colours, compared values. */
async function chartState(page: Page) {
  return page.evaluate(() => {
    const el = document.getElementById('price-chart') as HTMLElement;
    const chart = (window as any).echarts?.getInstanceByDom(el);
    if (!chart) return null;
    const opt = chart.getOption();
    const rows = opt.dataset?.[0]?.source ?? [];
    return {
      series: opt.series.map((s: any) => `${s.type}:${s.name}`),
      ids: opt.series.map((s: any) => s.id ?? ''),
      lengths: opt.series.map((s: any) => (s.data ? s.data.length : -1)),
      rows: rows.length,
      rowWidth: rows.length ? rows[rows.length - 1].length : 0,
      yAxis: opt.yAxis.map((a: any) => a.type),
      yLabel: opt.yAxis[0].axisLabel?.formatter ?? null,
      logLabel: typeof opt.yAxis[0].axisLabel?.formatter === 'function' ? opt.yAxis[0].axisLabel.formatter(84.5745) : null,
      candle: opt.series[0].type === 'candlestick' ? opt.series[0].itemStyle : null,
      volume: opt.series.filter((s: any) => s.type === 'bar').map((s: any) => s.itemStyle?.color),
      start: opt.dataZoom[0].startValue,
      compared: opt.series
        .filter((s: any) => String(s.id ?? '').startsWith('cmp:'))
        .map((s: any) => ({ name: s.name, atStart: s.data[opt.dataZoom[0].startValue], last: s.data[s.data.length - 1] })),
    };
  });
}

const seriesNow = async (page: Page) => (await chartState(page))?.series ?? [];

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });

    test('candles with volume, averages and a log axis, each a URL', async ({ page }, info) => {
      const errors = collectErrors(page);
      await page.goto('/?symbol=MSFT');
      await page.goto('/?symbol=IBM');
      await waitForDrawn(page, 'IBM');
      const entries = await page.evaluate(() => history.length);
      await page.evaluate(() => ((window as any).__stayed = true));

      await page.getByTestId('chart-kind').getByText('Candles').click();
      await expect(page).toHaveURL(/\/\?symbol=IBM&chart=candles$/);
      await expect.poll(() => seriesNow(page)).toEqual(['candlestick:IBM', 'bar:Volume', 'bar:Volume']);
      await page.getByTestId('chart-ma').getByText('20', { exact: true }).click();
      await expect(page).toHaveURL(/\/\?symbol=IBM&chart=candles&ma=20$/);
      await page.getByTestId('chart-ma').getByText('200', { exact: true }).click();
      await expect(page).toHaveURL(/&ma=20,200$/);
      await page.getByTestId('chart-log').check();
      await expect(page).toHaveURL(/\/\?symbol=IBM&chart=candles&ma=20,200&scale=log$/);
      await expect
        .poll(() => seriesNow(page))
        .toEqual(['candlestick:IBM', 'bar:Volume', 'line:MA 20', 'line:MA 200', 'bar:Volume']);
      const state = (await chartState(page))!;
      expect(state.yAxis).toEqual(['log', 'value']);
      expect(state.logLabel, 'a log axis labels its extremes briefly').toMatch(/^\d+(\.\d)?$/);
      expect(state.rowWidth, 'a dataset column per average').toBe(9);
      // Up and down differ, in the scheme's colours (blue up, orange down).
      const up = colorScheme === 'dark' ? '#8fb2ff' : '#1f5fbf';
      const down = colorScheme === 'dark' ? '#ffa45c' : '#b34a00';
      expect(state.candle.color).toBe(up);
      expect(state.candle.color0).toBe(down);
      // The volume: every day's bar in the rising colour, the falling days' over it.
      expect(state.volume).toEqual([up, down]);
      expect(await page.evaluate(() => history.length), 'controls replace the entry').toBe(entries);
      expect(await page.evaluate(() => (window as any).__stayed)).toBe(true);
      await page.getByRole('button', { name: '6M' }).click();
      await expect(page).toHaveURL(/\/\?symbol=IBM&range=6M&chart=candles&ma=20,200&scale=log$/);
      await page.waitForTimeout(1200); // ECharts' entry animation, for the picture
      await page.getByTestId('price-chart').screenshot({ path: `test-results/candles-${colorScheme}-${info.project.name}.png` });

      // Reload: the server renders the same view, the controls say so.
      await page.reload();
      await waitForDrawn(page, 'IBM');
      await expect(page.getByTestId('chart-kind').locator('input[value=candles]')).toBeChecked();
      await expect(page.getByTestId('chart-ma').locator('input[value="200"]')).toBeChecked();
      await expect(page.getByTestId('chart-ma').locator('input[value="50"]')).not.toBeChecked();
      await expect(page.getByTestId('chart-log')).toBeChecked();
      await expect(page.getByRole('button', { name: '6M' })).toHaveAttribute('aria-pressed', 'true');
      await expect
        .poll(() => seriesNow(page))
        .toEqual(['candlestick:IBM', 'bar:Volume', 'line:MA 20', 'line:MA 200', 'bar:Volume']);
      // Back goes to the previous symbol, not through every control.
      await page.goBack();
      await expect(page).toHaveURL(/\/\?symbol=MSFT$/);
      await waitForDrawn(page, 'MSFT');
      expect(await seriesNow(page)).toEqual(['line:MSFT close']);
      expect(errors).toEqual([]);
    });

    test('compare: % change from the first day shown, added and removed on the page', async ({ page }, info) => {
      const errors = collectErrors(page);
      await page.goto('/?symbol=IBM&range=1Y');
      await waitForDrawn(page, 'IBM');
      await page.getByTestId('compare-add').selectOption('MSFT');
      await expect(page).toHaveURL(/\/\?symbol=IBM&range=1Y&compare=MSFT$/);
      await expect.poll(() => seriesNow(page)).toEqual(['line:IBM', 'line:MSFT']);
      await page.getByTestId('compare-add').selectOption('BTC');
      await expect(page).toHaveURL(/&compare=MSFT,BTC$/);
      await expect.poll(() => seriesNow(page)).toEqual(['line:IBM', 'line:MSFT', 'line:BTC']);
      let state = (await chartState(page))!;
      expect(state.yLabel).toBe('{value} %');
      // Every line starts at 0 % on the window's first day.
      for (const c of state.compared) expect(c.atStart, c.name).toBe(0);
      const lastInYear = state.compared.map((c: any) => c.last);
      await expect(page.getByTestId('compare-hint')).toBeVisible();
      await page.waitForTimeout(1200);
      await page.getByTestId('price-chart').screenshot({ path: `test-results/compare-${colorScheme}-${info.project.name}.png` });

      // Another range rebases in place (no request needed: the same closes).
      await page.getByRole('button', { name: '5Y' }).click();
      await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', 'IBM 5Y');
      state = (await chartState(page))!;
      for (const c of state.compared) expect(c.atStart, c.name).toBe(0);
      expect(state.compared.map((c: any) => c.last)).not.toEqual(lastInYear);

      // A chip's ✕ removes its symbol.
      await page.getByRole('link', { name: 'Stop comparing MSFT' }).click();
      await expect(page).toHaveURL(/\/\?symbol=IBM&range=5Y&compare=BTC$/);
      await expect.poll(() => seriesNow(page)).toEqual(['line:IBM', 'line:BTC']);
      expect(errors).toEqual([]);
    });
  });
}

test('an unknown compared symbol gets a notice and leaves the URL', async ({ page }) => {
  await page.goto('/?symbol=IBM&compare=msft,NOPE');
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('There are no prices for NOPE to compare.');
  await waitForDrawn(page, 'IBM');
  await expect(page).toHaveURL(/\/\?symbol=IBM&compare=MSFT$/);
  await expect.poll(() => seriesNow(page)).toEqual(['line:IBM', 'line:MSFT']);
  // The notice stays after the URL dropped the symbol, until the reader changes something.
  await expect(notice).toContainText('There are no prices for NOPE to compare.');
  await page.getByTestId('chart-log').check();
  await expect(notice).toHaveCount(0);
});

test('the tooltip reads the day: open, high, low, close, volume and change', async ({ page }, info) => {
  // A line chart's page carries the close; the open, high, low and volume come when
  // the tooltip first shows, once.
  const asked: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/bar_details')) asked.push(r.postData() ?? ''); });
  await page.goto('/?symbol=IBM&range=1M&ma=20');
  await waitForDrawn(page, 'IBM');
  expect(asked, 'nothing asked before the tooltip shows').toEqual([]);
  const surface = page.locator('#price-chart');
  const box = (await surface.boundingBox())!;
  const position = { x: box.width * 0.6, y: box.height * 0.45 };
  // A tap on a phone, the pointer resting on a desktop (both scroll the chart into view).
  if (info.project.name === 'phone') await surface.tap({ position });
  else await surface.hover({ position });
  const tip = page.locator('#price-chart .tip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(/^\d{4}-\d{2}-\d{2}/);
  await expect(tip.locator('.ohlc')).toHaveText(/^O \d+\.\d{2} · H \d+\.\d{2} · L \d+\.\d{2} · C \d+\.\d{2}$/);
  await expect(tip).toContainText(/Volume [\d,]+/);
  await expect(tip).toContainText(/[▲▼■] [+-]?\d+\.\d{2} % from the previous close/);
  await expect(tip).toContainText(/MA 20 \d+\.\d{2}/);
  expect(asked).toEqual(['symbol=IBM']);
  await page.getByTestId('price-chart').screenshot({ path: `test-results/tooltip-${info.project.name}.png` });
});

test('a finger drag over the chart scrolls the page', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'touch is the phone project');
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  await page.locator('#price-chart').scrollIntoViewIfNeeded();
  const box = (await page.locator('#price-chart').boundingBox())!;
  const x = box.x + box.width / 2;
  const y0 = box.y + box.height * 0.7;
  // The finger lands on the chart's canvas (with the inside zoom's panning on, as on a
  // desktop, this same drag moves the chart and the page stays).
  const target = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('#price-chart') !== null, [x, y0]);
  expect(target).toBe(true);
  const before = await page.evaluate(() => window.scrollY);
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: string, y: number) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: type === 'touchEnd' ? [] : [{ x, y }],
    });
  await touch('touchStart', y0);
  for (let k = 1; k <= 10; k++) await touch('touchMove', y0 - k * 20);
  await touch('touchEnd', y0 - 200);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(before + 50);
});

test('the headlines keep the chart: "more" and the search carry the range as pressed', async ({ page }) => {
  await page.goto('/?symbol=IBM&chart=candles&news=2');
  await waitForDrawn(page, 'IBM');
  await page.getByRole('button', { name: '1Y' }).click();
  await expect(page).toHaveURL(/\/\?symbol=IBM&news=2&range=1Y&chart=candles$/);
  await expect(page.getByTestId('news-more')).toHaveAttribute('href', '/?symbol=IBM&news=22&range=1Y&chart=candles');
  await page.getByTestId('news-search').fill('ETF');
  await page.getByTestId('news-search').press('Enter');
  // The address bar shows the page's canonical URL: the server's order, defaults left out.
  await expect(page).toHaveURL(/\/\?symbol=IBM&q=ETF&range=1Y&chart=candles$/);
  await expect(page.getByRole('button', { name: '1Y' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => seriesNow(page)).toEqual(['candlestick:IBM', 'bar:Volume', 'bar:Volume']);
});

test('copy link puts the page URL, with every control, on the clipboard', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await page.goto('/?symbol=IBM&chart=candles&ma=50');
  await waitForDrawn(page, 'IBM');
  const copy = page.getByTestId('copy-link');
  await expect(copy).toBeVisible();
  await copy.click();
  await expect(copy).toHaveText('Link copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  expect(copied).toMatch(/\?symbol=IBM&chart=candles&ma=50$/);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the form carries every chart control', async ({ page }, info) => {
    await page.goto('/?symbol=IBM&range=1Y');
    await expect(page.getByTestId('copy-link')).toBeHidden();
    await page.getByTestId('chart-kind').locator('input[value=candles]').check();
    await page.getByTestId('chart-ma').locator('input[value="50"]').check();
    await page.getByTestId('chart-log').check();
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/symbol=IBM&chart=candles&ma=50&scale=log&compare=&range=1Y$/);
    const chart = page.getByTestId('price-chart');
    await expect(chart.locator('.volume-pane rect').first()).toBeAttached();
    await expect(chart.locator('polyline.ma1')).toHaveCount(1);
    await chart.screenshot({ path: `test-results/nojs-candles-${info.project.name}.png` });

    await page.getByTestId('compare-input').fill('msft, btc');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByTestId('compare-chip')).toHaveCount(2);
    await expect(chart.locator('.legend')).toHaveText(/IBM\s*MSFT\s*BTC/);
    await expect(chart.locator('.y').first()).toHaveText(/ %$/);
    // A chip's ✕ is a plain link.
    await page.getByRole('link', { name: 'Stop comparing MSFT' }).click();
    await expect(page.getByTestId('compare-chip')).toHaveCount(1);
  });
});
