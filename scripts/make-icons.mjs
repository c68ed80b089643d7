// The app icons in public/ (192, 512, and a maskable 512 with the glyph inside the safe
// zone), drawn from favicon.svg's shapes by Chromium. Run from scripts/: node make-icons.mjs
const { chromium } = await import(new URL('../end2end/node_modules/playwright-core/index.mjs', import.meta.url).href);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const glyph = (s) => `<polyline points="4,22 11,15 16,19 23,9 28,12" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" transform="${s}"/>`;
const any = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="100%" height="100%"><rect width="32" height="32" rx="6" fill="#2456c9"/>${glyph('')}</svg>`;
// Maskable: the background to the edges, the glyph inside the middle 80 % (the safe zone).
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="100%" height="100%"><rect width="32" height="32" fill="#2456c9"/>${glyph('translate(4.8 4.8) scale(0.7)')}</svg>`;
for (const [name, svg, size] of [['icon-192.png', any, 192], ['icon-512.png', any, 512], ['icon-maskable-512.png', maskable, 512]]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.screenshot({ path: new URL(`../public/${name}`, import.meta.url).pathname, omitBackground: true });
  await page.close();
}
await browser.close();
