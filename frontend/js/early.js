// The chart drawn by ECharts as soon as ECharts has run, from the option the server put
// in the page, before the WebAssembly has started: on a cold load the wasm starts only
// after the page is parsed and compiled, and hydrates the whole dashboard first, so
// ECharts would wait for both (#26). This draws what the server's option says — the
// view's range, the page's colours — and nothing the WebAssembly adds: ECharts' own
// tooltip until then. The WebAssembly's first drawing takes the instance over (the
// reader's zoom kept; `chart/hydrate/mod.rs`) and adds its tooltip, the news
// markers' titles and the clicks.
//
// Views it leaves to the WebAssembly: compared symbols (drawn as % change from the
// window's first day, which the WebAssembly computes) and the log scale (its labels).

const CHART_ID = 'price-chart';        // chart::wire::CHART_ID
const ANSWER_ID = 'dashboard';         // chart::wire::ANSWER_ID
const DARK_ID = 'chart-dark';          // chart::wire::DARK_ID
const ECHARTS_SCRIPT_ID = 'echarts-js'; // chart::wire::ECHARTS_SCRIPT_ID
const COMPARE_ID = 'cmp:';             // chart::wire::COMPARE_ID

/** The server's option for the page's chart, in the reader's scheme; null when this
 * page's chart is not one to draw early. */
function pageOption(dark) {
  const script = document.getElementById(ANSWER_ID);
  if (!script) return null;
  let option;
  try {
    // The option travels as its JSON text (chart::wire::OptionJson).
    const text = JSON.parse(script.textContent).chart?.option;
    option = text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
  if (!option) return null;
  if ((option.series || []).some((s) => String(s.id || '').startsWith(COMPARE_ID))) return null;
  if ([].concat(option.yAxis || []).some((axis) => axis.type === 'log')) return null;
  if (dark) {
    // Each light colour swapped for its dark twin in the option's text, as
    // `in_scheme` does in chart/hydrate/option.rs.
    const twins = JSON.parse(document.getElementById(DARK_ID)?.textContent || '{}');
    let text = JSON.stringify(option);
    for (const [light, darker] of Object.entries(twins)) text = text.split(light).join(darker);
    option = JSON.parse(text);
  }
  if (matchMedia('(pointer: coarse)').matches) {
    // One finger scrolls the page, never the chart (`set_window` in option.rs).
    for (const zoom of option.dataZoom || []) {
      if (zoom.type === 'inside') Object.assign(zoom, { moveOnMouseMove: false, preventDefaultMouseMove: false });
    }
  }
  return option;
}

/** Draws the page's chart unless something already has (the WebAssembly, or this). */
function draw() {
  const el = document.getElementById(CHART_ID);
  const echarts = window.echarts;
  if (!el || !echarts || echarts.getInstanceByDom(el)) return;
  if (document.documentElement.hasAttribute('data-hydrated')) return;
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const option = pageOption(dark);
  if (!option) return;
  performance.mark('tickerboard:early-start');
  echarts.init(el, dark ? 'dark' : null).setOption(option);
  el.setAttribute('data-early', '');
  // The server's drawing goes, as when the WebAssembly draws.
  const preview = el.parentElement?.querySelector('.chart-static');
  if (preview) preview.innerHTML = '';
  performance.mark('tickerboard:early-drawn');
}

/** Draws once ECharts has run: now, or when its script (`async`) has loaded; and again
 * after `nav.js` has brought another page while the WebAssembly is not there yet (a
 * change made before it, sent as a form: the morph gives the box the new page's SVG). */
export function drawEarly() {
  if (window.echarts) draw();
  else document.getElementById(ECHARTS_SCRIPT_ID)?.addEventListener('load', draw, { once: true });
  addEventListener('tickerboard:page', () => {
    if (window.echarts) draw();
  });
}
