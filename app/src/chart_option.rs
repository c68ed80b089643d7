//! The ECharts option for a [`ChartView`], built on the server with charming (it has
//! the data). The option is complete for a light page; in a dark one the browser swaps
//! each light colour for its dark twin ([`crate::chart::palette`]), nothing else.
//!
//! One dataset holds every day of the main symbol, `[date, close, averages…]`, and,
//! when something draws them (candles, the open line), the day's `[open, high, low,
//! volume, volume down]` after (the volume again on a day that closed below its open,
//! else null): the category axes take their dates from it, and every series and the tooltip
//! read it, so no date or number is sent twice. A line chart's page carries no open,
//! high, low or volume (three quarters of the bytes of 5,000 days): the tooltip asks
//! for them ([`bar_details`]) the first time it shows. Compared symbols are series of
//! their own, one value per day.
//!
//! charming 0.6 has no `dataset`/`encode` on candlestick and bar series, no `color0`
//! (the falling candle's colour) and no `confine`/axis-pointer link: [`extend`] adds
//! those to charming's output as JSON, named by the ECharts option reference, after
//! charming has written the rest. The volume bars take the day's direction's colour
//! from two series over each other (every day's volume in the rising colour, the
//! falling days' on top in theirs), not from a `visualMap`: the page's ECharts build
//! carries no visual map (6.5 KB brotli).

use crate::chart::palette::{self, Hue};
use crate::chart_view::{ChartKind, ChartView, MA_PERIODS};
use charming::component::{Axis, DataZoom, DataZoomType, Grid, Legend};
use charming::element::{
    AxisLabel, AxisPointer, AxisPointerType, AxisType, LineStyle, Sampling, SplitLine, Tooltip,
    Trigger,
};
use charming::series::{Bar, Line};
use charming::Chart;
use serde_json::{json, Value};
use store::{DailyBar, Symbol};

/// Dimensions of a dataset row: the date, the close, then the moving averages the view
/// asks for, in its order (`null` before a period's first full window).
pub const DIM_CLOSE: usize = 1;
pub const DIM_AVERAGES: usize = 2;
/// The day's own columns, where a row carries them (see [`details_at`]), in this
/// order from there.
pub const DETAIL_OPEN: usize = 0;
pub const DETAIL_HIGH: usize = 1;
pub const DETAIL_LOW: usize = 2;
pub const DETAIL_VOLUME: usize = 3;
pub const DETAIL_VOLUME_DOWN: usize = 4;

/// Where a row's open, high, low, volume and volume down start, when the view draws any
/// of them (candles, or the open line); `None` when the rows stop after the averages.
pub fn details_at(view: &ChartView, line_open: bool) -> Option<usize> {
    let candles = view.kind == ChartKind::Candles && !view.comparing();
    let open_line = line_open && !view.comparing();
    (candles || open_line).then(|| DIM_AVERAGES + averages_drawn(view))
}

/// How many average columns the rows carry (none while comparing).
fn averages_drawn(view: &ChartView) -> usize {
    if view.comparing() {
        0
    } else {
        view.ma.len()
    }
}

/// Another symbol drawn beside the main one.
pub struct Compared<'a> {
    pub symbol: &'a Symbol,
    pub bars: &'a [DailyBar],
}

/// Everything the option is drawn from.
pub struct ChartInput<'a> {
    pub symbol: &'a Symbol,
    /// The main symbol's days, oldest first.
    pub bars: &'a [DailyBar],
    pub view: &'a ChartView,
    pub compared: &'a [Compared<'a>],
    /// Draw the open beside the close in line mode (`line_open` in `Leptos.toml`).
    pub line_open: bool,
}

/// The option as JSON.
pub fn chart_option(input: &ChartInput) -> Value {
    let ChartInput {
        symbol,
        bars,
        view,
        compared,
        line_open,
    } = *input;
    let candles = view.kind == ChartKind::Candles && !view.comparing();
    let mut legend: Vec<String> = Vec::new();

    let mut chart = Chart::new()
        .background_color("transparent")
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Axis)
                .axis_pointer(AxisPointer::new().type_(AxisPointerType::Cross)),
        )
        .data_zoom(
            DataZoom::new()
                .type_(DataZoomType::Inside)
                .x_axis_index(if candles { vec![0, 1] } else { vec![0] }),
        )
        .data_zoom(
            DataZoom::new()
                .type_(DataZoomType::Slider)
                .bottom(8)
                .x_axis_index(if candles { vec![0, 1] } else { vec![0] }),
        );

    let price_axis = || {
        let axis = Axis::new().scale(true);
        if view.log && !view.comparing() {
            // A log axis otherwise snaps to powers of ten and flattens the prices.
            axis.type_(AxisType::Log)
                .log_base(10)
                .min("dataMin")
                .max("dataMax")
        } else {
            axis.type_(AxisType::Value)
        }
    };
    if candles {
        // Prices above, volume below, one x axis each, zoomed together.
        chart = chart
            .grid(Grid::new().left(64).right(16).top(36).bottom(150))
            .grid(Grid::new().left(64).right(16).height(60).bottom(72))
            .x_axis(
                Axis::new()
                    .type_(AxisType::Category)
                    .boundary_gap(true)
                    .axis_label(AxisLabel::new().show(false)),
            )
            .x_axis(
                Axis::new()
                    .type_(AxisType::Category)
                    .grid_index(1)
                    .boundary_gap(true),
            )
            .y_axis(price_axis())
            .y_axis(
                Axis::new()
                    .type_(AxisType::Value)
                    .grid_index(1)
                    .split_number(2)
                    .axis_label(AxisLabel::new().show(false))
                    .split_line(SplitLine::new().show(false)),
            );
        // Series 0 and 1. The first is a placeholder charming can write; `extend` makes
        // it the candlestick.
        legend.push(symbol.to_string());
        chart = chart.series(Line::new().name(symbol.to_string()));
        legend.push("Volume".to_string());
        chart = chart.series(Bar::new().name("Volume").x_axis_index(1).y_axis_index(1));
    } else {
        let y = if view.comparing() {
            Axis::new()
                .type_(AxisType::Value)
                .scale(true)
                .axis_label(AxisLabel::new().formatter("{value} %"))
        } else {
            price_axis()
        };
        let mut x = Axis::new().type_(AxisType::Category).boundary_gap(false);
        if view.comparing() {
            // No series reads the dataset then: the dates come with the axis.
            x = x.data(bars.iter().map(|b| b.date.to_string()).collect());
        }
        chart = chart
            .grid(
                Grid::new()
                    .left(8)
                    .right(16)
                    .top(36)
                    .bottom(64)
                    .contain_label(true),
            )
            .x_axis(x)
            .y_axis(y);
    }

    if view.comparing() {
        // Closes as they are; the browser rebases them to % change from the first
        // visible day (and again when the range changes).
        let closes: Vec<Option<f64>> = bars.iter().map(|b| Some(b.close)).collect();
        let mut lines = vec![(symbol.to_string(), closes)];
        for other in compared {
            lines.push((other.symbol.to_string(), aligned_closes(bars, other.bars)));
        }
        for (k, (name, values)) in lines.into_iter().enumerate() {
            let hue = palette::COMPARE[k % palette::COMPARE.len()];
            legend.push(name.clone());
            chart = chart.series(
                line(&name, hue)
                    .id(format!("{}{name}", palette::COMPARE_ID))
                    .connect_nulls(true)
                    .data(values),
            );
        }
    } else {
        if !candles {
            let mut mains = vec![(format!("{symbol} close"), DIM_CLOSE, palette::CLOSE)];
            if let Some(at) = details_at(view, line_open) {
                mains.insert(
                    0,
                    (format!("{symbol} open"), at + DETAIL_OPEN, palette::OPEN),
                );
            }
            for (name, dim, hue) in mains {
                legend.push(name.clone());
                chart = chart.series(
                    line(&name, hue)
                        .encode(charming::element::DimensionEncode::new().x(0).y(dim as i64)),
                );
            }
        }
        for (column, period) in view.ma.iter().enumerate() {
            let name = format!("MA {period}");
            legend.push(name.clone());
            // Each period keeps its colour, whichever others are on.
            let k = MA_PERIODS.iter().position(|p| p == period).unwrap_or(0);
            chart = chart.series(
                line(&name, palette::MA[k % palette::MA.len()]).encode(
                    charming::element::DimensionEncode::new()
                        .x(0)
                        .y((DIM_AVERAGES + column) as i64),
                ),
            );
        }
    }
    chart = chart.legend(Legend::new().top(0).data(legend));
    let mut option = serde_json::to_value(&chart).unwrap_or(Value::Null);
    let averages: Vec<Vec<Option<f64>>> = if view.comparing() {
        Vec::new()
    } else {
        view.ma
            .iter()
            .map(|p| moving_average(bars, usize::from(*p)))
            .collect()
    };
    extend(
        &mut option,
        bars,
        &averages,
        details_at(view, line_open),
        candles,
    );
    option
}

/// The open, high, low and volume of every day of `bars` (oldest first, the dataset's
/// days), for a page whose rows do not carry them: `{"last": date, "rows": [[open,
/// high, low, volume], …]}`. The browser checks `last` against its own last row.
pub fn bar_details(bars: &[DailyBar]) -> Value {
    let rows: Vec<Value> = bars
        .iter()
        .map(|b| {
            json!([
                tidy(b.open),
                tidy(b.high),
                tidy(b.low),
                b.volume.round() as i64
            ])
        })
        .collect();
    json!({
        "last": bars.last().map(|b| b.date.to_string()),
        "rows": rows,
    })
}

/// A line series without markers, in `hue`, thinned to the pixels by ECharts.
fn line(name: &str, hue: Hue) -> Line {
    Line::new()
        .name(name)
        .show_symbol(false)
        .sampling(Sampling::Lttb)
        .line_style(LineStyle::new().color(hue.light).width(1.5))
        .item_style(charming::element::ItemStyle::new().color(hue.light))
}

/// What charming 0.6 cannot write (see the module's comment), added to its JSON.
fn extend(
    option: &mut Value,
    bars: &[DailyBar],
    averages: &[Vec<Option<f64>>],
    details: Option<usize>,
    candles: bool,
) {
    let rows: Vec<Value> = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut row = vec![json!(b.date.to_string()), json!(tidy(b.close))];
            row.extend(averages.iter().map(|a| json!(a[i])));
            if details.is_some() {
                row.extend([
                    json!(tidy(b.open)),
                    json!(tidy(b.high)),
                    json!(tidy(b.low)),
                    json!(b.volume.round() as i64),
                    json!((b.close < b.open).then(|| b.volume.round() as i64)),
                ]);
            }
            Value::Array(row)
        })
        .collect();
    option["dataset"] = json!({ "source": rows });
    // The tooltip stays inside the chart (a phone's edge) and follows a tap.
    option["tooltip"]["confine"] = json!(true);
    option["tooltip"]["triggerOn"] = json!("mousemove|click");
    if let (true, Some(at)) = (candles, details) {
        option["series"][0] = json!({
            "type": "candlestick",
            "name": option["series"][0]["name"],
            // ECharts reads a candle as [open, close, lowest, highest].
            "encode": {
                "x": 0,
                "y": [at + DETAIL_OPEN, DIM_CLOSE, at + DETAIL_LOW, at + DETAIL_HIGH],
            },
            "itemStyle": {
                "color": palette::UP.light,
                "borderColor": palette::UP.light,
                "color0": palette::DOWN.light,
                "borderColor0": palette::DOWN.light,
            },
        });
        option["series"][1]["encode"] = json!({ "x": 0, "y": at + DETAIL_VOLUME });
        option["series"][1]["large"] = json!(true);
        option["series"][1]["itemStyle"] = json!({ "color": palette::UP.light });
        // A falling day's bar again, in its colour, over the first (drawn later, in the
        // same place: no gap between the two series).
        option["series"][1]["barGap"] = json!("-100%");
        if let Some(series) = option["series"].as_array_mut() {
            series.push(json!({
                "type": "bar",
                "name": "Volume",
                "xAxisIndex": 1,
                "yAxisIndex": 1,
                "large": true,
                "barGap": "-100%",
                "encode": { "x": 0, "y": at + DETAIL_VOLUME_DOWN },
                "itemStyle": { "color": palette::DOWN.light },
            }));
        }
        // One crosshair across both panes.
        option["axisPointer"] = json!({ "link": [{ "xAxisIndex": "all" }] });
    }
}

/// The simple moving average of the close over `period` days; nothing before the
/// first full window.
pub fn moving_average(bars: &[DailyBar], period: usize) -> Vec<Option<f64>> {
    let mut sum = 0.0;
    bars.iter()
        .enumerate()
        .map(|(i, b)| {
            sum += b.close;
            if i >= period {
                sum -= bars[i - period].close;
            }
            (i + 1 >= period && period > 0).then(|| tidy(sum / period as f64))
        })
        .collect()
}

/// `other`'s close on each of `bars`' dates: the last close on or before that date
/// (a stock has no price on a weekend a coin has one on), nothing before its first.
pub fn aligned_closes(bars: &[DailyBar], other: &[DailyBar]) -> Vec<Option<f64>> {
    let mut j = 0;
    let mut last = None;
    bars.iter()
        .map(|b| {
            while j < other.len() && other[j].date <= b.date {
                last = Some(other[j].close);
                j += 1;
            }
            last
        })
        .collect()
}

/// `values` as % change from the first value present at or after `start`.
pub fn rebased(values: &[Option<f64>], start: usize) -> Vec<Option<f64>> {
    let base = values
        .iter()
        .skip(start)
        .flatten()
        .copied()
        .find(|v| *v != 0.0);
    values
        .iter()
        .map(|v| Some((v.as_ref()? / base? - 1.0) * 100.0))
        .collect()
}

/// Six significant digits: enough for any price, and short in JSON.
fn tidy(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(5 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Range;
    use chrono::NaiveDate;

    fn bars(symbol: &str, first: (i32, u32, u32), closes: &[f64]) -> Vec<DailyBar> {
        let first = NaiveDate::from_ymd_opt(first.0, first.1, first.2).unwrap();
        closes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                DailyBar::from_ohlcv(
                    Symbol::parse(symbol).unwrap(),
                    first + chrono::Duration::days(i as i64),
                    [c - 1.0, c + 2.0, c - 2.0, *c, 1000.0 + i as f64],
                )
            })
            .collect()
    }

    fn option(view: &ChartView, compared: &[Compared]) -> Value {
        let ibm = Symbol::parse("IBM").unwrap();
        let b = bars("IBM", (2024, 1, 1), &[10.0, 11.0, 12.0, 13.0, 14.0]);
        chart_option(&ChartInput {
            symbol: &ibm,
            bars: &b,
            view,
            compared,
            line_open: false,
        })
    }

    fn series_types(option: &Value) -> Vec<(String, String)> {
        option["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["type"].as_str().unwrap().to_string(),
                    s["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn the_default_is_the_close_as_a_line_over_the_dataset() {
        let o = option(&ChartView::default(), &[]);
        assert_eq!(series_types(&o), [("line".into(), "IBM close".into())]);
        assert_eq!(o["series"][0]["encode"]["y"], json!(DIM_CLOSE));
        let rows = o["dataset"]["source"].as_array().unwrap();
        assert_eq!(rows.len(), 5);
        // A line chart's rows carry the date and the close, nothing it does not draw.
        assert_eq!(rows[0], json!(["2024-01-01", 10.0]));
        assert_eq!(details_at(&ChartView::default(), false), None);
        assert_eq!(o["yAxis"]["type"], json!("value"));
    }

    #[test]
    fn the_open_line_brings_the_days_own_columns() {
        let ibm = Symbol::parse("IBM").unwrap();
        let b = bars("IBM", (2024, 1, 1), &[10.0, 11.0]);
        let view = ChartView::default();
        let o = chart_option(&ChartInput {
            symbol: &ibm,
            bars: &b,
            view: &view,
            compared: &[],
            line_open: true,
        });
        assert_eq!(
            series_types(&o),
            [
                ("line".into(), "IBM open".into()),
                ("line".into(), "IBM close".into())
            ]
        );
        let at = details_at(&view, true).unwrap();
        assert_eq!(o["series"][0]["encode"]["y"], json!(at + DETAIL_OPEN));
        assert_eq!(
            o["dataset"]["source"][0],
            json!(["2024-01-01", 10.0, 9.0, 12.0, 8.0, 1000, null])
        );
    }

    #[test]
    fn bar_details_are_the_days_own_columns_in_the_datasets_order() {
        let b = bars("IBM", (2024, 1, 1), &[10.0, 11.0]);
        assert_eq!(
            bar_details(&b),
            json!({
                "last": "2024-01-02",
                "rows": [[9.0, 12.0, 8.0, 1000], [10.0, 13.0, 9.0, 1001]],
            })
        );
        assert_eq!(bar_details(&[]), json!({ "last": null, "rows": [] }));
    }

    #[test]
    fn candles_have_a_volume_pane_and_colours_for_both_directions() {
        let view = ChartView {
            kind: ChartKind::Candles,
            ma: vec![20, 50],
            log: true,
            ..ChartView::default()
        };
        let o = option(&view, &[]);
        assert_eq!(
            series_types(&o),
            [
                ("candlestick".into(), "IBM".into()),
                ("bar".into(), "Volume".into()),
                ("line".into(), "MA 20".into()),
                ("line".into(), "MA 50".into()),
                ("bar".into(), "Volume".into()),
            ]
        );
        assert_eq!(
            o["series"][0]["itemStyle"]["color0"],
            json!(palette::DOWN.light)
        );
        assert_eq!(o["series"][1]["xAxisIndex"].as_f64(), Some(1.0));
        let at = details_at(&view, false).unwrap();
        assert_eq!(at, DIM_AVERAGES + 2, "after the two averages");
        assert!(
            o.get("visualMap").is_none(),
            "no visual map in the page's ECharts"
        );
        // The volume twice: every day's in the rising colour, the falling days' over it.
        let down = &o["series"][4];
        assert_eq!(
            (&down["type"], &down["name"]),
            (&json!("bar"), &json!("Volume"))
        );
        assert_eq!(down["encode"]["y"], json!(at + DETAIL_VOLUME_DOWN));
        assert_eq!(down["itemStyle"]["color"], json!(palette::DOWN.light));
        assert_eq!(
            o["series"][1]["itemStyle"]["color"],
            json!(palette::UP.light)
        );
        assert_eq!(down["barGap"], json!("-100%"));
        // The second volume column has a falling day's volume, nothing on a rising day.
        let ibm = Symbol::parse("IBM").unwrap();
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let two = [
            DailyBar::from_ohlcv(ibm.clone(), day, [10.0, 12.0, 9.0, 11.0, 500.0]),
            DailyBar::from_ohlcv(
                ibm.clone(),
                day.succ_opt().unwrap(),
                [11.0, 11.5, 9.5, 10.0, 700.0],
            ),
        ];
        let o2 = chart_option(&ChartInput {
            symbol: &ibm,
            bars: &two,
            view: &view,
            compared: &[],
            line_open: false,
        });
        let rows2 = o2["dataset"]["source"].as_array().unwrap();
        assert_eq!(rows2[0][at + DETAIL_VOLUME], json!(500));
        assert!(rows2[0][at + DETAIL_VOLUME_DOWN].is_null(), "rose");
        assert_eq!(rows2[1][at + DETAIL_VOLUME], json!(700));
        assert_eq!(rows2[1][at + DETAIL_VOLUME_DOWN], json!(700), "fell");
        assert_eq!(
            o["series"][0]["encode"]["y"],
            json!([
                at + DETAIL_OPEN,
                DIM_CLOSE,
                at + DETAIL_LOW,
                at + DETAIL_HIGH
            ])
        );
        assert_eq!(o["series"][1]["encode"]["y"], json!(at + DETAIL_VOLUME));
        assert_eq!(o["dataZoom"][0]["xAxisIndex"], json!([0, 1]));
        assert_eq!(o["yAxis"][0]["type"], json!("log"));
        assert_eq!(o["grid"].as_array().unwrap().len(), 2);
        // The averages are dataset columns after the close.
        assert_eq!(o["series"][3]["encode"]["y"], json!(DIM_AVERAGES + 1));
        let rows = o["dataset"]["source"].as_array().unwrap();
        assert_eq!(rows[0].as_array().unwrap().len(), at + 5);
        assert_eq!(rows[0][at + DETAIL_HIGH], json!(12.0));
        assert_eq!(
            rows[0][DIM_AVERAGES],
            Value::Null,
            "no average before 20 days"
        );
    }

    #[test]
    fn compare_draws_each_symbol_against_the_main_one_in_percent() {
        let msft = Symbol::parse("MSFT").unwrap();
        // Starts a day later: nothing before its first close, then its closes.
        let m = bars("MSFT", (2024, 1, 2), &[100.0, 50.0]);
        let view = ChartView {
            compare: vec!["MSFT".into()],
            kind: ChartKind::Candles,
            log: true,
            range: Range::All,
            ..ChartView::default()
        };
        let o = option(
            &view,
            &[Compared {
                symbol: &msft,
                bars: &m,
            }],
        );
        assert_eq!(
            series_types(&o),
            [
                ("line".into(), "IBM".into()),
                ("line".into(), "MSFT".into())
            ],
            "compare draws lines, whatever the chart kind"
        );
        assert_eq!(
            o["series"][1]["data"],
            json!([null, 100.0, 50.0, 50.0, 50.0])
        );
        assert_eq!(o["yAxis"]["type"], json!("value"), "no log axis for %");
        assert_eq!(o["yAxis"]["axisLabel"]["formatter"], json!("{value} %"));
    }

    #[test]
    fn averages_and_rebasing() {
        let b = bars("X", (2024, 1, 1), &[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(
            moving_average(&b, 2),
            [None, Some(1.5), Some(2.5), Some(3.5)]
        );
        assert_eq!(
            rebased(&[None, Some(50.0), Some(75.0)], 0),
            [None, Some(0.0), Some(50.0)]
        );
        assert_eq!(
            rebased(&[Some(1.0), Some(2.0)], 1),
            [Some(-50.0), Some(0.0)]
        );
        assert_eq!(tidy(123.456789), 123.457);
        assert_eq!(tidy(0.000123456789), 0.000123457);
    }
}
