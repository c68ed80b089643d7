//! The chart's panes and the indicators' series. Prices are on top; under them, each
//! 60 px high and in this order, the volume (candles), RSI and MACD, every pane with its
//! own x axis (only the lowest labelled) zoomed together. The pixel layout is shared
//! by the ECharts option and the server's drawing ([`super::preview`]), so the first
//! paint and ECharts put every pane in the same place.
//!
//! Each indicator reads its columns of the dataset ([`super::indicators::columns`]),
//! after the moving averages; the series' ids start with [`IND_ID`], which the
//! tooltip reads.

use crate::chart::ssr::indicators;
use crate::chart::view::{ChartView, Indicator};
use crate::chart::wire::palette::{self, Hue};
use crate::chart::wire::{column, IND_ID};
use charming::component::{Axis, Grid};
use charming::element::{
    AreaStyle, AxisLabel, AxisType, DimensionEncode, ItemStyle, LineStyle, LineStyleType,
    NameLocation, Sampling, SplitLine,
};
use charming::series::Line;
use charming::Chart;
use serde_json::{json, Value};
use store::DailyBar;

/// A pane under the prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LowerPane {
    Volume,
    Rsi,
    Macd,
}

/// A lower pane's height, and the distance from one pane's bottom to the next one's
/// (the height and room for the axis' name).
pub const PANE_HEIGHT: i64 = 60;
const PANE_STEP: i64 = 78;
/// The lowest pane's bottom: room for the dates and the zoom slider.
const LOWEST_BOTTOM: i64 = 72;

/// RSI's guide lines.
pub const RSI_GUIDES: [f64; 2] = [30.0, 70.0];

/// The panes under the prices for `view`, top to bottom.
pub fn lower_panes(view: &ChartView) -> Vec<LowerPane> {
    let mut panes = Vec::new();
    if view.draws_candles() {
        panes.push(LowerPane::Volume);
    }
    for indicator in view.indicators() {
        match indicator {
            Indicator::Rsi => panes.push(LowerPane::Rsi),
            Indicator::Macd => panes.push(LowerPane::Macd),
            _ => {}
        }
    }
    panes
}

/// The price pane's bottom, in px from the chart box's bottom, over `count` lower panes.
pub fn price_bottom(count: usize) -> i64 {
    match count {
        0 => 64,
        n => LOWEST_BOTTOM + n as i64 * PANE_STEP,
    }
}

/// The bottom of lower pane `j` (0 the highest) of `count`.
pub fn pane_bottom(j: usize, count: usize) -> i64 {
    LOWEST_BOTTOM + (count - 1 - j) as i64 * PANE_STEP
}

/// Each indicator the view draws and the dataset column its columns start at (after
/// the close and the moving averages).
pub fn indicator_columns(view: &ChartView, averages: usize) -> Vec<(Indicator, usize)> {
    let mut at = column::AVERAGES + averages;
    view.indicators()
        .iter()
        .map(|i| {
            let start = at;
            at += indicators::width(*i);
            (*i, start)
        })
        .collect()
}

/// The grids and axes of the price pane and of each lower pane. Alone, the price pane
/// fits its labels in (`containLabel`); with panes under it, every pane starts at the
/// same left edge so their days line up.
pub fn layout(chart: Chart, bars: &[DailyBar], view: &ChartView, panes: &[LowerPane]) -> Chart {
    let count = panes.len();
    let grid = Grid::new()
        .right(16)
        .top(36)
        .bottom(price_bottom(count) as f64);
    let grid = if count == 0 {
        grid.left(8).contain_label(true)
    } else {
        grid.left(64)
    };
    let mut chart = chart
        .grid(grid)
        .x_axis(x_axis(bars, view, 0, count == 0))
        .y_axis(price_axis(view));
    for (j, pane) in panes.iter().enumerate() {
        chart = chart
            .grid(
                Grid::new()
                    .left(64)
                    .right(16)
                    .height(PANE_HEIGHT as f64)
                    .bottom(pane_bottom(j, count) as f64),
            )
            .x_axis(x_axis(bars, view, j + 1, j + 1 == count))
            .y_axis(pane_axis(*pane, j + 1));
    }
    chart
}

/// A pane's category axis: labelled when it is the lowest; with the dates as its data
/// when comparing (no series reads the dataset then).
fn x_axis(bars: &[DailyBar], view: &ChartView, grid: usize, labelled: bool) -> Axis {
    let mut x = Axis::new()
        .type_(AxisType::Category)
        .boundary_gap(view.draws_candles());
    if grid > 0 {
        x = x.grid_index(grid as f64);
    }
    if !labelled {
        x = x.axis_label(AxisLabel::new().show(false));
    }
    if view.comparing() {
        x = x.data(bars.iter().map(|b| b.date.to_string()).collect());
    }
    x
}

/// The price axis: % when comparing; logarithmic when asked for, else linear.
fn price_axis(view: &ChartView) -> Axis {
    let axis = Axis::new().scale(true);
    if view.comparing() {
        axis.type_(AxisType::Value)
            .axis_label(AxisLabel::new().formatter("{value} %"))
    } else if view.log {
        // A log axis otherwise snaps to powers of ten and flattens the prices.
        axis.type_(AxisType::Log)
            .log_base(10)
            .min("dataMin")
            .max("dataMax")
    } else {
        axis.type_(AxisType::Value)
    }
}

/// A lower pane's value axis (its name above it, see [`extend`]).
fn pane_axis(pane: LowerPane, grid: usize) -> Axis {
    let axis = Axis::new().type_(AxisType::Value).grid_index(grid as f64);
    match pane {
        LowerPane::Volume => axis
            .split_number(2)
            .axis_label(AxisLabel::new().show(false))
            .split_line(SplitLine::new().show(false)),
        LowerPane::Rsi => axis
            .min(0)
            .max(100)
            .name("RSI 14")
            .name_location(NameLocation::End)
            .split_line(SplitLine::new().line_style(LineStyle::new().type_(LineStyleType::Dashed))),
        LowerPane::Macd => axis
            .scale(true)
            .split_number(2)
            .name("MACD 12, 26, 9")
            .name_location(NameLocation::End),
    }
}

/// A line series without markers, in `hue`, thinned to the pixels by ECharts.
pub fn line(name: &str, hue: Hue) -> Line {
    Line::new()
        .name(name)
        .show_symbol(false)
        .sampling(Sampling::Lttb)
        .line_style(LineStyle::new().color(hue.light).width(1.5))
        .item_style(ItemStyle::new().color(hue.light))
}

/// The indicators' lines: the EMAs and the bands over the prices (in the legend), RSI
/// and MACD in their panes (named by their axes). MACD's histogram is added by
/// [`extend`].
pub fn indicator_series(
    mut chart: Chart,
    columns: &[(Indicator, usize)],
    panes: &[LowerPane],
    legend: &mut Vec<String>,
) -> Chart {
    for (indicator, at) in columns {
        let pane = match indicator {
            Indicator::Rsi => Some(LowerPane::Rsi),
            Indicator::Macd => Some(LowerPane::Macd),
            _ => None,
        };
        let grid = pane.and_then(|pane| panes.iter().position(|p| *p == pane).map(|j| j + 1));
        if grid.is_none() {
            legend.push(legend_name(*indicator).to_string());
        }
        for series in lines_of(*indicator, *at) {
            chart = chart.series(match grid {
                Some(g) => series.x_axis_index(g as f64).y_axis_index(g as f64),
                None => series,
            });
        }
    }
    chart
}

/// How the legend names an indicator drawn over the prices (the three bands are one
/// entry, "BB", which shows or hides them together).
fn legend_name(indicator: Indicator) -> &'static str {
    match indicator {
        Indicator::Bollinger => "BB",
        other => other.label(),
    }
}

/// The line series of `indicator`, whose columns start at `at`.
fn lines_of(indicator: Indicator, at: usize) -> Vec<Line> {
    let read = |name: &str, id: &str, hue: Hue, dim: usize| {
        line(name, hue)
            .id(format!("{IND_ID}{id}"))
            .encode(DimensionEncode::new().x(column::DATE as i64).y(dim as i64))
    };
    match indicator {
        Indicator::Ema20 => vec![read("EMA 20", "ema20", palette::EMA[0], at)],
        Indicator::Ema50 => vec![read("EMA 50", "ema50", palette::EMA[1], at)],
        Indicator::Bollinger => {
            let band = palette::BAND;
            let dashed = LineStyle::new()
                .color(band.light)
                .width(1)
                .type_(LineStyleType::Dashed);
            vec![
                read("BB", "bb-lower", band, at).stack("bb"),
                read("BB", "bb-upper", band, at + 1)
                    .stack("bb")
                    .area_style(AreaStyle::new().color(band.light).opacity(0.12)),
                read("BB", "bb-middle", band, at + 2).line_style(dashed),
            ]
        }
        Indicator::Rsi => vec![read("RSI 14", "rsi", palette::RSI, at)],
        Indicator::Macd => vec![
            read("MACD", "macd", palette::MACD, at),
            read("Signal", "signal", palette::SIGNAL, at + 1),
        ],
    }
}

/// What charming 0.6 cannot write for the panes: RSI's 30 and 70 guides (its only
/// labels and grid lines), the panes' names left-aligned over them, MACD's histogram as
/// bars in the direction's colour, one crosshair through every pane.
pub fn extend(option: &mut Value, columns: &[(Indicator, usize)], panes: &[LowerPane]) {
    if panes.is_empty() {
        return;
    }
    option["axisPointer"] = json!({ "link": [{ "xAxisIndex": "all" }] });
    for (j, pane) in panes.iter().enumerate() {
        let axis = &mut option["yAxis"][j + 1];
        if *pane != LowerPane::Volume {
            axis["nameGap"] = json!(6);
            axis["nameTextStyle"] = json!({ "align": "left", "fontSize": 11 });
        }
        if *pane == LowerPane::Rsi {
            axis["axisLabel"] = json!({ "customValues": RSI_GUIDES });
            axis["axisTick"] = json!({ "show": false, "customValues": RSI_GUIDES });
        }
    }
    let Some(at) = columns
        .iter()
        .find(|(i, _)| *i == Indicator::Macd)
        .map(|(_, at)| *at)
    else {
        return;
    };
    let g = panes
        .iter()
        .position(|p| *p == LowerPane::Macd)
        .map_or(0, |j| j + 1);
    if let Some(series) = option["series"].as_array_mut() {
        for (k, side, hue) in [(2, "up", palette::UP), (3, "down", palette::DOWN)] {
            series.push(json!({
                "type": "bar",
                "id": format!("{IND_ID}hist-{side}"),
                "name": "Histogram",
                "xAxisIndex": g,
                "yAxisIndex": g,
                "large": true,
                "barGap": "-100%",
                "encode": { "x": column::DATE, "y": at + k },
                "itemStyle": { "color": hue.light },
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::ssr::option::{chart_option, details_at, ChartInput};
    use crate::chart::view::ChartKind;
    use chrono::NaiveDate;
    use store::Symbol;

    fn option(view: &ChartView, days: usize) -> Value {
        let ibm = Symbol::parse("IBM").unwrap();
        let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let bars: Vec<DailyBar> = (0..days)
            .map(|i| {
                let c = 100.0 + (i as f64 / 7.0).sin() * 5.0;
                DailyBar::from_ohlcv(
                    ibm.clone(),
                    first + chrono::Duration::days(i as i64),
                    [c - 1.0, c + 1.0, c - 2.0, c, 1000.0],
                )
            })
            .collect();
        chart_option(&ChartInput {
            symbol: &ibm,
            bars: &bars,
            view,
            compared: &[],
            line_open: false,
            news: None,
        })
    }

    fn ids(option: &Value) -> Vec<String> {
        option["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().or(s["name"].as_str()).unwrap().to_string())
            .collect()
    }

    #[test]
    fn every_indicator_has_its_series_columns_and_pane() {
        let view = ChartView {
            ma: vec![20],
            ind: Indicator::ALL.to_vec(),
            ..ChartView::default()
        };
        let o = option(&view, 60);
        assert_eq!(
            ids(&o),
            [
                "IBM close",
                "MA 20",
                "ind:ema20",
                "ind:ema50",
                "ind:bb-lower",
                "ind:bb-upper",
                "ind:bb-middle",
                "ind:rsi",
                "ind:macd",
                "ind:signal",
                "ind:hist-up",
                "ind:hist-down",
            ]
        );
        // close, MA 20, EMA 20, EMA 50, BB ×3, RSI, MACD ×4 after the date.
        let rows = o["dataset"]["source"].as_array().unwrap();
        assert_eq!(rows[0].as_array().unwrap().len(), 2 + 1 + 1 + 1 + 3 + 1 + 4);
        let columns = indicator_columns(&view, 1);
        let at = |i: Indicator| columns.iter().find(|(x, _)| *x == i).unwrap().1;
        assert_eq!(o["series"][2]["encode"]["y"], json!(at(Indicator::Ema20)));
        assert_eq!(o["series"][5]["stack"], json!("bb"));
        assert!(
            o["series"][5]["areaStyle"].is_object(),
            "the band is filled"
        );
        assert!(rows[18][at(Indicator::Bollinger)].is_null(), "warming up");
        assert!(rows[19][at(Indicator::Bollinger)].is_number());
        assert!(rows[13][at(Indicator::Rsi)].is_null() && rows[14][at(Indicator::Rsi)].is_number());
        assert!(
            rows[24][at(Indicator::Macd)].is_null() && rows[25][at(Indicator::Macd)].is_number()
        );
        // Three grids: prices, RSI, MACD; each pane's series on its own axes.
        let grids = o["grid"].as_array().unwrap();
        assert_eq!(grids.len(), 3);
        assert_eq!(grids[0]["bottom"], json!(price_bottom(2) as f64));
        assert_eq!(grids[2]["bottom"], json!(pane_bottom(1, 2) as f64));
        assert_eq!(o["series"][7]["yAxisIndex"], json!(1.0), "RSI in pane 1");
        assert_eq!(
            o["series"][10]["yAxisIndex"],
            json!(2),
            "MACD's bars in pane 2"
        );
        assert_eq!(
            o["yAxis"][1]["axisLabel"]["customValues"],
            json!(RSI_GUIDES)
        );
        assert_eq!(
            (&o["yAxis"][1]["min"], &o["yAxis"][1]["max"]),
            (&json!(0), &json!(100))
        );
        assert_eq!(
            o["dataZoom"][1]["xAxisIndex"],
            json!([0, 1, 2]),
            "zoomed together"
        );
        let labelled: Vec<bool> = (0..3)
            .map(|k| o["xAxis"][k]["axisLabel"]["show"] != json!(false))
            .collect();
        assert_eq!(
            labelled,
            [false, false, true],
            "the dates under the lowest pane only"
        );
        let legend: Vec<&Value> = o["legend"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["name"])
            .collect();
        assert_eq!(
            legend,
            [
                &json!("IBM close"),
                &json!("MA 20"),
                &json!("EMA 20"),
                &json!("EMA 50"),
                &json!("BB")
            ]
        );
    }

    #[test]
    fn candles_keep_their_volume_first_and_the_days_columns_move_after_the_indicators() {
        let view = ChartView {
            kind: ChartKind::Candles,
            ind: vec![Indicator::Bollinger, Indicator::Rsi],
            ..ChartView::default()
        };
        assert_eq!(lower_panes(&view), [LowerPane::Volume, LowerPane::Rsi]);
        let o = option(&view, 30);
        assert_eq!(details_at(&view, false), Some(column::AVERAGES + 3 + 1));
        assert_eq!(o["series"][0]["type"], json!("candlestick"));
        assert_eq!(o["series"][1]["yAxisIndex"], json!(1.0), "volume in pane 1");
        let rsi = o["series"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == json!("ind:rsi"))
            .unwrap();
        assert_eq!(rsi["yAxisIndex"], json!(2.0), "RSI under the volume");
        // Comparing draws % lines: no indicator, no pane.
        let comparing = ChartView {
            compare: vec!["MSFT".into()],
            ..view
        };
        assert!(lower_panes(&comparing).is_empty());
        assert_eq!(details_at(&comparing, false), None);
    }
}
