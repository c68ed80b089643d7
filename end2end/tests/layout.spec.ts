import { test, expect } from '@playwright/test';
import { collectErrors } from './helpers';

// Every page holds still while its scripts arrive. The CPU is slowed fourfold, as on a
// mid-range phone, so ECharts, nav.js and the WebAssembly land after the first paint and
// whatever they show, hide or resize is a layout shift counted here (on a fast machine
// they can land before the first frame and hide one: "Copy link" once moved the page
// 52 px on a phone that way).
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
    await page.addInitScript(() => {
      const w = window as any;
      w.__cls = 0;
      w.__moved = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as any[]) {
          if (e.hadRecentInput) continue;
          w.__cls += e.value;
          for (const s of e.sources ?? []) {
            const n = s.node as Element | null;
            const name = n ? `${n.nodeName}${n.getAttribute?.('data-testid') ? `[${n.getAttribute('data-testid')}]` : ''}` : '?';
            w.__moved.push(`${name} ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}`);
          }
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    // The WebAssembly has run where the page has an island.
    if (path.startsWith('/?') || path === '/') {
      await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', /./);
    }
    await page.waitForTimeout(500);
    const { cls, moved } = await page.evaluate(() => ({ cls: (window as any).__cls, moved: (window as any).__moved }));
    expect(cls, `CLS of ${path} on ${info.project.name}: ${moved.join(', ')}`).toBeLessThanOrEqual(0.01);
    expect(errors).toEqual([]);
  });
}
