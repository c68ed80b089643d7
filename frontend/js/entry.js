// The parts of ECharts the price chart uses, and nothing else. The WebAssembly calls
// the global `echarts.init` and `echarts.getInstanceByDom`; the bundle exposes only
// those two, so the rest of ECharts' core API is left out of it.
import { init, getInstanceByDom, use } from 'echarts/core';
import { LineChart, CandlestickChart, BarChart } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  AxisPointerComponent,
  LegendPlainComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  DatasetComponent,
  AriaComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([
  LineChart,
  CandlestickChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  AxisPointerComponent,
  LegendPlainComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  DatasetComponent,
  AriaComponent,
  CanvasRenderer,
]);

window.echarts = { init, getInstanceByDom };
