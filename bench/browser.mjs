// Browser benchmark for the dashboard, in Debian's Chromium (playwright-core from
// end2end/node_modules; never a downloaded browser). For each run, in a fresh browser
// context at 1280x800:
//   chart visible  navigation start → the chart box shows a drawn chart (the server's
//                  SVG or ECharts' canvas), seen by a requestAnimationFrame probe
//   ECharts drawn  navigation start → ECharts' canvas is in the box (drawn from the
//                  page's option by frontend/js/early.js, or by the WebAssembly)
//   interactive    navigation start → the WebAssembly has drawn (the box's data-drawn:
//                  its tooltip, the island's controls live)
//   bytes          everything on the wire until the network is quiet for 500 ms
//   CLS            the sum of layout shifts until then
//   where the time goes  per step of a cold load, its median: the HTML, ECharts and
//                  the WebAssembly arrived (resource timing), the document parsed
//                  (DOMContentLoaded), the page's own marks (`tickerboard:*`: the
//                  WebAssembly started, the island hydrated and the option ready, ECharts'
//                  setOption returned), ECharts drawn; and the bytes of each file
// then, in one page, select → redrawn: picking each other symbol until ECharts has
// redrawn it. Prints medians (and ranges).
//   node bench/browser.mjs http://127.0.0.1:3100/ --runs 5 --symbols IBM,TSLA,MSFT,BTC,AAPL
import { createRequire } from 'node:module';
const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a) && a.includes('://')) ?? 'http://127.0.0.1:3100/';
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt('runs', '5'));
const symbols = opt('symbols', 'IBM,TSLA,MSFT,BTC,AAPL').split(',');
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const probe = () => {
  const w = window;
  w.__bench = { cls: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) w.__bench.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const tick = () => {
    const box = document.querySelector('[data-testid=price-chart]');
    if (box && w.__bench.chartAt === undefined) {
      const drawn = box.querySelector('.chart-static polyline, canvas');
      const r = drawn && drawn.getBoundingClientRect();
      if (r && r.width > 0 && r.height > 0) w.__bench.chartAt = performance.now();
    }
    if (box && w.__bench.echartsAt === undefined) {
      const canvas = box.querySelector('canvas');
      const r = canvas && canvas.getBoundingClientRect();
      if (r && r.width > 0 && r.height > 0) w.__bench.echartsAt = performance.now();
    }
    if (box && box.hasAttribute('data-drawn') && w.__bench.interactiveAt === undefined) {
      w.__bench.interactiveAt = performance.now();
    }
    if (w.__bench.interactiveAt === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const fmt = (xs, unit = ' ms', d = 1) =>
  `${median(xs).toFixed(d)}${unit} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: flags });
const cold = { chart: [], echarts: [], interactive: [], bytes: [], cls: [] };
// Per step of a cold load: when it happened (ms) and its bytes, one entry per run.
const steps = {};
const step = (name, at, bytes) => {
  steps[name] ??= { at: [], bytes: [] };
  steps[name].at.push(at);
  if (bytes !== undefined) steps[name].bytes.push(bytes / 1024);
};
/** The page's own timings: its document and each file it loaded, by kind. */
const timings = () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const kind = (name) => (/\.wasm/.test(name) ? 'wasm' : /echarts/.test(name) ? 'echarts' : /\/pkg\/.*\.js/.test(name) ? 'wasm glue' : /nav-/.test(name) ? 'nav.js' : /\.css/.test(name) ? 'css' : 'other');
  return {
    html: [nav.responseEnd, nav.encodedBodySize],
    dcl: nav.domContentLoadedEventEnd,
    files: performance.getEntriesByType('resource').map((e) => [kind(e.name), e.responseEnd, e.encodedBodySize]),
  };
};
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(probe);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let bytes = 0, inflight = 0, last = Date.now();
    cdp.on('Network.requestWillBeSent', () => { inflight++; last = Date.now(); });
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; inflight--; last = Date.now(); });
    cdp.on('Network.loadingFailed', () => { inflight--; last = Date.now(); });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench?.interactiveAt !== undefined, null, { polling: 50, timeout: 30_000 });
    while (inflight > 0 || Date.now() - last < 500) await new Promise((r) => setTimeout(r, 100));
    const b = await page.evaluate(() => window.__bench);
    const t = await page.evaluate(timings);
    step('HTML arrived', t.html[0], t.html[1]);
    for (const [kind, at, size] of t.files) if (kind !== 'other') step(`${kind} arrived`, at, size);
    step('document parsed (DOMContentLoaded)', t.dcl);
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
    const said = {
      'tickerboard:early-start': 'page script draws the option (early.js)',
      'tickerboard:early-drawn': 'its ECharts setOption returned',
      'tickerboard:hydrate': 'WebAssembly started (hydrate)',
      'tickerboard:option-ready': 'island hydrated, option ready',
      'tickerboard:echarts-set': 'the WebAssembly\'s setOption returned',
    };
    for (const [name, at] of marks) if (said[name]) step(said[name], at);
    step('ECharts drawn (canvas)', b.echartsAt);
    step('WebAssembly drew (interactive)', b.interactiveAt);
    cold.chart.push(b.chartAt); cold.echarts.push(b.echartsAt); cold.interactive.push(b.interactiveAt);
    cold.bytes.push(bytes / 1024); cold.cls.push(b.cls);
    await context.close();
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid=price-chart][data-drawn]');
  const select = [];
  for (let round = 0; round < 2; round++) {
    for (const symbol of symbols) {
      const current = await page.getAttribute('[data-testid=price-chart]', 'data-drawn');
      if (current.startsWith(`${symbol} `)) continue;
      const t0 = await page.evaluate(() => performance.now());
      await page.selectOption('#symbol', symbol);
      await page.waitForFunction((s) => document.querySelector('[data-testid=price-chart]').getAttribute('data-drawn').startsWith(`${s} `), symbol, { polling: 'raf' });
      select.push((await page.evaluate(() => performance.now())) - t0);
      await page.waitForTimeout(300);
    }
  }
  await context.close();

  console.log(`browser benchmark: ${url}, ${runs} cold runs at 1280x800, ${select.length} selections`);
  console.log(`  cold navigation → chart visible   ${fmt(cold.chart)}`);
  console.log(`  cold navigation → ECharts drawn   ${fmt(cold.echarts)}`);
  console.log(`  cold navigation → interactive     ${fmt(cold.interactive)} (the WebAssembly's drawing)`);
  console.log(`  bytes on the wire, first load     ${fmt(cold.bytes, ' KiB')}`);
  console.log(`  select → chart redrawn            ${fmt(select)}`);
  console.log(`  CLS (layout shift), worst run     ${Math.max(...cold.cls).toFixed(4)}`);
  console.log('  where a cold load\'s time goes (medians; bytes compressed as sent):');
  const order = Object.entries(steps).sort((a, b) => median(a[1].at) - median(b[1].at));
  for (const [name, { at, bytes }] of order) {
    const size = bytes.length ? `  ${median(bytes).toFixed(1)} KiB` : '';
    console.log(`    ${median(at).toFixed(0).padStart(5)} ms  ${name}${size}`);
  }
} finally {
  await browser.close();
}
