import { test, expect } from '@playwright/test';
import { collectErrors, layoutShifts, slowCpu, watchLayoutShifts } from './helpers';

// Every page holds still while its scripts arrive on a slow CPU (`slowCpu`): ECharts,
// nav.js and the WebAssembly then land after the first paint ("Copy link" once moved the
// page 52 px on a phone that way, unseen on a fast machine).
const pages = [
  '/',
  '/?symbol=BTC&range=1M',
  '/?symbol=IBM&chart=candles&ma=50&compare=MSFT',
  '/?symbol=IBM&ind=ema20,bb,rsi,macd&range=1Y',
  '/?symbol=ETH&q=ETF',
  '/markets',
  '/weather',
  '/runs',
];

for (const path of pages) {
  test(`${path} does not move while its scripts arrive on a slow CPU`, async ({ page }, info) => {
    const errors = collectErrors(page);
    await watchLayoutShifts(page);
    await slowCpu(page);
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    // The WebAssembly has run where the page has an island.
    if (path.startsWith('/?') || path === '/') {
      await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', /./);
    }
    await page.waitForTimeout(500);
    const { cls, moved } = await layoutShifts(page);
    expect(cls, `CLS of ${path} on ${info.project.name}: ${moved.join(', ')}`).toBeLessThanOrEqual(0.01);
    expect(errors).toEqual([]);
  });
}
