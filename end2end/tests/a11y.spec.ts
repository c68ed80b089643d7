// The frame a screen reader expects (#27): axe-core (WCAG 2.1 A and AA, and best
// practice) finds nothing on each page, in both colour schemes, at both viewports
// (the projects), once the WebAssembly has taken over and the chart is drawn.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { waitForDrawn } from './helpers';

const pages = [
  { path: '/', ready: async (page: any) => waitForDrawn(page, 'IBM') },
  { path: '/?symbol=IBM&chart=candles&ma=20&compare=MSFT', ready: async (page: any) => waitForDrawn(page, 'IBM') },
  { path: '/weather', ready: async () => {} },
  { path: '/runs', ready: async () => {} },
];

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });
    for (const { path, ready } of pages) {
      test(`axe finds nothing on ${path}`, async ({ page }) => {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
        await ready(page);
        await expect(page.locator('main')).toHaveCount(1);
        const results = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
          .analyze();
        const found = results.violations.map(
          (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
        );
        expect(found, found.join('\n')).toEqual([]);
      });
    }
  });
}
