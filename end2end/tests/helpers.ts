// Helpers shared by the end-to-end tests (not a test file itself).
import { expect, Page, ConsoleMessage } from '@playwright/test';

/** The chart's drawn option, read from ECharts itself. */
export async function drawnOption(page: Page) {
  return page.evaluate(() => {
    // ECharts draws on #price-chart, inside the chart box [data-testid=price-chart].
    const el = document.getElementById('price-chart') as HTMLElement;
    const chart = (window as any).echarts?.getInstanceByDom(el);
    if (!chart) return null;
    const opt = chart.getOption();
    const rows = opt.dataset?.[0]?.source ?? [];
    return {
      series: opt.series.map((s: any) => ({
        name: s.name,
        type: s.type,
        id: s.id,
        length: s.data ? s.data.length : null,
      })),
      rows: rows.length,
      lastClose: rows.length ? rows[rows.length - 1][1] : null,
      lastDate: rows.length ? rows[rows.length - 1][0] : null,
      zoom: opt.dataZoom.map((z: any) => z.type),
      canvas: !!el.querySelector('canvas'),
    };
  });
}

export function collectErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

export async function waitForDrawn(page: Page, symbol: string) {
  await expect(page.getByTestId('price-chart')).toHaveAttribute('data-drawn', new RegExp(`^${symbol} `));
}

/** Sums every layout shift of the page's life (CLS), and notes what moved and where;
 * read it with `layoutShifts`. Call before `goto`. */
export async function watchLayoutShifts(page: Page) {
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
          const id = n?.getAttribute?.('data-testid');
          const name = n ? `${n.nodeName}${id ? `[${id}]` : ''}` : '?';
          w.__moved.push(`${name} ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}`);
        }
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The CLS so far, and what moved (see `watchLayoutShifts`). */
export async function layoutShifts(page: Page): Promise<{ cls: number; moved: string[] }> {
  return page.evaluate(() => ({ cls: (window as any).__cls, moved: (window as any).__moved }));
}

/** A mid-range phone's CPU (four times slower): the scripts, the WebAssembly above all,
 * land well after the first paint, so whatever they show, hide or resize is a layout
 * shift (on a fast machine they can land before the first frame and hide one). */
export async function slowCpu(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}
