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
