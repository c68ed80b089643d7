// The early drawing (frontend/js/early.js) measured against the page without it, in
// one run: cold loads alternate between the page as served ("on") and the same page
// with early.js's drawing cut out of nav.js by a route ("off"), each in a fresh
// context at 1280x800, same server, same browser. Prints per mode the medians of
// navigation start → ECharts' canvas in the chart box, and → the WebAssembly's drawing
// (the box's data-drawn). Against the release server of bench/server.sh:
//   node bench/early-ab.mjs http://127.0.0.1:3100/ 12
import { createRequire } from 'node:module';
const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const url = process.argv[2] ?? 'http://127.0.0.1:3100/'; const runs = +(process.argv[3] || 10);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const probe = () => {
  const w = window; w.__b = {};
  const tick = () => {
    const box = document.querySelector('[data-testid=price-chart]');
    const c = box && box.querySelector('canvas'); const r = c && c.getBoundingClientRect();
    if (r && r.width > 0 && w.__b.echarts === undefined) w.__b.echarts = performance.now();
    if (box && box.hasAttribute('data-drawn') && w.__b.wasm === undefined) w.__b.wasm = performance.now();
    if (w.__b.wasm === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};
const res = { on: { echarts: [], wasm: [] }, off: { echarts: [], wasm: [] } };
for (let i = 0; i < runs * 2; i++) {
  const mode = i % 2 ? 'off' : 'on';
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.addInitScript(probe);
  if (mode === 'off') await page.route(/nav-\d+\.min\.js$/, async (route) => {
    const r = await route.fetch(); let body = await r.text();
    const cut = body.replace('performance.mark("tickerboard:early-start")', '0;return;(0)');
    if (cut === body) throw new Error('early draw not found in nav.js');
    route.fulfill({ response: r, body: cut });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__b.wasm !== undefined, null, { timeout: 30000 });
  const b = await page.evaluate(() => window.__b);
  res[mode].echarts.push(b.echarts); res[mode].wasm.push(b.wasm);
  await ctx.close();
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)].toFixed(1); };
for (const m of ['on', 'off']) console.log(`early draw ${m}: ECharts drawn ${med(res[m].echarts)} ms (${Math.min(...res[m].echarts).toFixed(0)}–${Math.max(...res[m].echarts).toFixed(0)}), WebAssembly drew ${med(res[m].wasm)} ms (${Math.min(...res[m].wasm).toFixed(0)}–${Math.max(...res[m].wasm).toFixed(0)}), ${res[m].echarts.length} runs`);
await browser.close();
