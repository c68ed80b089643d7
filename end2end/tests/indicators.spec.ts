// The indicators (#24): each toggle is one server-function call and a URL, ECharts draws
// the indicator's series in its pane, the box grows by a pane's height; the news markers
// on a coin's chart: their titles in the tooltip, a click lists the day's headlines,
// `markers=off` hides them. With JavaScript off the server's drawing shows the same.
import { test, expect, Page } from '@playwright/test';
import { collectErrors, waitForDrawn } from './helpers';

/** The ids of the series ECharts draws now, and the news markers' data. */
async function drawn(page: Page) {
  return page.evaluate(() => {
    const chart = (window as any).echarts?.getInstanceByDom(document.getElementById('price-chart'));
    if (!chart) return null;
    const opt = chart.getOption();
    const news = opt.series.find((s: any) => s.id === 'news');
    return {
      ids: opt.series.map((s: any) => String(s.id ?? '')).filter((id: string) => /^(ind:|news)/.test(id)),
      grids: opt.grid.length,
      news: news ? news.data : null,
    };
  });
}

/** A tap on a phone, a click on a desktop, at `x`, `y` of the chart's surface. */
async function press(page: Page, phone: boolean, x: number, y: number) {
  const surface = page.locator('#price-chart');
  if (phone) await surface.tap({ position: { x, y } });
  else await surface.click({ position: { x, y } });
}

const INDICATORS: [string, string, string[]][] = [
  ['ema20', 'EMA 20', ['ind:ema20']],
  ['ema50', 'EMA 50', ['ind:ema50']],
  ['bb', 'BB', ['ind:bb-lower', 'ind:bb-upper', 'ind:bb-middle']],
  ['rsi', 'RSI', ['ind:rsi']],
  ['macd', 'MACD', ['ind:macd', 'ind:signal', 'ind:hist-up', 'ind:hist-down']],
];

test('each indicator is a toggle, one POST, a URL, and its series in ECharts', async ({ page }, info) => {
  const errors = collectErrors(page);
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  await expect(page.locator('[data-ready]')).toHaveCount(1);
  const before = (await page.getByTestId('price-chart').boundingBox())!.height;
  for (const [param, label, ids] of INDICATORS) {
    const posts: string[] = [];
    const html: string[] = [];
    const listen = (r: any) => {
      if (r.method() === 'POST') posts.push(r.url());
      else if (r.resourceType() === 'document' || r.url().includes('symbol=')) html.push(r.url());
    };
    page.on('request', listen);
    await page.getByTestId('chart-ind').getByText(label, { exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]ind=[^&]*${param}`));
    await expect.poll(async () => (await drawn(page))?.ids ?? []).toEqual(expect.arrayContaining(ids));
    page.off('request', listen);
    expect(posts.filter((u) => u.endsWith('/api/dashboard'))).toHaveLength(1);
    expect(html).toEqual([]);
  }
  await expect(page).toHaveURL(/\/\?symbol=IBM&ind=ema20,ema50,bb,rsi,macd$/);
  // Prices, RSI and MACD: three grids, the box two panes taller.
  expect((await drawn(page))!.grids).toBe(3);
  await expect(page.getByTestId('price-chart')).toHaveClass(/panes-2/);
  const after = (await page.getByTestId('price-chart').boundingBox())!.height;
  expect(after - before).toBeGreaterThan(150);
  // ECharts follows its box (a ResizeObserver): its canvas is as tall as the surface.
  await expect.poll(() => echartsFitsBox(page)).toBe(true);
  // The tooltip names each indicator's value of the day.
  const box = (await page.locator('#price-chart').boundingBox())!;
  await press(page, info.project.name === 'phone', box.width * 0.8, box.height * 0.3);
  const tip = page.locator('.tip').first();
  // Read from the day's row: ECharts thins each line to the pixels (on a phone's narrow
  // chart a line may have no point on the day pressed), the tooltip lists them all.
  for (const name of ['EMA 20', 'EMA 50', 'BB upper', 'BB middle', 'BB lower', 'RSI 14', 'MACD', 'Signal', 'Histogram']) {
    await expect(tip).toContainText(name);
  }
  await page.screenshot({ path: `test-results/indicators-${info.project.name}.png`, fullPage: true });
  // Unticked again: gone, and the box back to its height.
  await page.getByTestId('chart-ind').getByText('RSI', { exact: true }).click();
  await page.getByTestId('chart-ind').getByText('MACD', { exact: true }).click();
  await expect(page).toHaveURL(/ind=ema20,ema50,bb$/);
  await expect(page.getByTestId('price-chart')).toHaveClass(/^chart$/);
  expect((await drawn(page))!.grids).toBe(1);
  await expect.poll(() => echartsFitsBox(page)).toBe(true);
  expect(errors).toEqual([]);
});

/** Whether ECharts' size is its surface's (it draws into the whole box, no more). */
async function echartsFitsBox(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.getElementById('price-chart')!;
    const chart = (window as any).echarts.getInstanceByDom(el);
    return !!chart && chart.getHeight() === el.clientHeight && chart.getWidth() === el.clientWidth;
  });
}

test('a bad indicator is named in a notice with a 400, the good ones drawn', async ({ page }) => {
  const response = await page.goto('/?symbol=IBM&ind=rsi,sma9');
  expect(response!.status()).toBe(400);
  await expect(page.getByRole('alert').or(page.getByTestId('notice')).first()).toContainText('“sma9” is not an indicator');
  await waitForDrawn(page, 'IBM');
  await expect.poll(async () => (await drawn(page))?.ids ?? []).toEqual(['ind:rsi']);
});

test('news markers: titles in the tooltip, a click lists the day, markers=off hides them', async ({ page }, info) => {
  const errors = collectErrors(page);
  await page.goto('/?symbol=BTC&range=1M');
  await waitForDrawn(page, 'BTC');
  await expect(page.locator('[data-ready]')).toHaveCount(1);
  const state = (await drawn(page))!;
  expect(state.news?.length).toBeGreaterThan(0);
  const last = state.news![state.news!.length - 1] as [string, number, number];
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/day_headlines')) asked.push(r.postData() ?? '');
  });
  const tip = page.locator('.tip').first();
  await expect(async () => {
    // The pin's head, just above the price it marks, where the chart has it now (the
    // box may still be settling its size on a busy machine: then press again), on its
    // right half: the last day's pin sits on the grid's right edge, where ECharts shows
    // no tooltip of its own (the island shows it).
    const at = await page.evaluate(
      (p) => (window as any).echarts.getInstanceByDom(document.getElementById('price-chart')).convertToPixel({ seriesId: 'news' }, p),
      [last[0], last[1]],
    );
    await press(page, info.project.name === 'phone', at[0] + 4, at[1] - 13);
    await expect(tip).toContainText(`${last[2]} headline`, { timeout: 3_000 });
  }).toPass({ timeout: 15_000 });
  await expect(tip.locator('.tip-news div').first()).toContainText('·');
  const panel = page.getByTestId('day-news');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(`News of ${last[0]}`);
  await expect(panel.locator('li a')).toHaveCount(last[2]);
  expect(asked).toEqual([`coin=bitcoin&day=${last[0]}`]);
  await page.screenshot({ path: `test-results/news-markers-${info.project.name}.png`, fullPage: true });
  // The box in the form: off, the URL says so, no markers.
  await page.getByTestId('chart-markers').uncheck();
  await expect(page).toHaveURL(/\/\?symbol=BTC&range=1M&markers=off$/);
  await expect.poll(async () => (await drawn(page))?.news ?? 'none').toBe('none');
  await expect(panel).toBeHidden();
  // A symbol without a news coin has no box and no markers.
  await page.goto('/?symbol=IBM');
  await waitForDrawn(page, 'IBM');
  await expect(page.getByTestId('chart-markers')).toHaveCount(0);
  expect((await drawn(page))!.news).toBeNull();
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the server draws the indicators in their panes and the news markers', async ({ page }, info) => {
    await page.goto('/?symbol=IBM&chart=candles&ind=ema20,bb,rsi,macd&range=1Y');
    const chart = page.getByTestId('price-chart');
    await expect(chart).toHaveClass(/panes-2/);
    for (const selector of ['polyline.ema0', 'polygon.bb', '.rsi-pane polyline.rsi', '.macd-pane polyline.macd', '.volume-pane rect']) {
      await expect(chart.locator(selector).first()).toBeAttached();
    }
    await expect(chart.locator('.rsi-pane .y')).toHaveText(['30', '70']);
    await page.screenshot({ path: `test-results/indicators-nojs-${info.project.name}.png`, fullPage: true });

    await page.goto('/?symbol=BTC&range=1M');
    const markers = page.getByTestId('price-chart').locator('.marker');
    expect(await markers.count()).toBeGreaterThan(0);
    await expect(markers.first()).toHaveAttribute('title', /^\d+ headlines?$/);
    // The form's box unticked sends markers=off: no markers drawn.
    await page.getByTestId('chart-markers').uncheck();
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/markers=off/);
    await expect(page.getByTestId('price-chart').locator('.marker')).toHaveCount(0);
  });
});
