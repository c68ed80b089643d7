// The parts of ECharts the price chart uses, and nothing else. The WebAssembly calls
// the global `echarts.init`, so the bundle exposes that global.
import * as echarts from 'echarts/core';
import { LineChart, CandlestickChart, BarChart } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  AxisPointerComponent,
  LegendComponent,
  DataZoomComponent,
  DatasetComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  CandlestickChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  AxisPointerComponent,
  LegendComponent,
  DataZoomComponent,
  DatasetComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  CanvasRenderer,
]);

window.echarts = echarts;
