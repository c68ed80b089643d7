//! The ECharts option for a [`ChartView`], built on the server with charming (it has
//! the data). The option is complete for a light page; in a dark one the browser swaps
//! each light colour for its dark twin ([`crate::chart::wire::palette`]) and adds the
//! range's window and the tooltip (`chart/hydrate/option.rs`).
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

use crate::chart::ssr::news::{self, News};
use crate::chart::ssr::panes::line;
use crate::chart::ssr::series::{aligned_closes, closes, moving_average, start_index, tidy};
use crate::chart::ssr::{indicators, panes};
use crate::chart::view::{ChartView, Range, MA_PERIODS};
use crate::chart::wire::palette;
use crate::chart::wire::{column, detail, BarDetails, ChartData, OptionJson, COMPARE_ID};
use charming::component::{DataZoom, DataZoomType, Legend};
use charming::element::{AxisPointer, AxisPointerType, DimensionEncode, Tooltip, Trigger};
use charming::series::{Bar, Line};
use charming::Chart;
use serde_json::{json, Value};
use store::{DailyBar, Symbol};

/// Where a row's open, high, low, volume and volume down start, when the view draws any
/// of them (candles, or the open line); `None` when the rows stop after the averages.
pub fn details_at(view: &ChartView, line_open: bool) -> Option<usize> {
    let open_line = line_open && !view.comparing();
    (view.draws_candles() || open_line).then(|| column::AVERAGES + lines_drawn(view))
}

/// How many columns of lines the rows carry after the close: the averages, then the
/// indicators' (none while comparing).
fn lines_drawn(view: &ChartView) -> usize {
    if view.comparing() {
        0
    } else {
        view.ma.len()
            + view
                .ind
                .iter()
                .map(|i| indicators::width(*i))
                .sum::<usize>()
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
    /// The symbol's news coin and its headline days, when it has one: markers.
    pub news: Option<News<'a>>,
}

impl ChartInput<'_> {
    /// The closes of the main symbol and of each compared one on its dates, named.
    pub fn compared_closes(&self) -> Vec<(String, Vec<Option<f64>>)> {
        let mut lines = vec![(self.symbol.to_string(), closes(self.bars))];
        for other in self.compared {
            lines.push((
                other.symbol.to_string(),
                aligned_closes(self.bars, other.bars),
            ));
        }
        lines
    }
}

/// The option, the range windows and where the days' own columns are, for `input`.
pub fn chart_data(input: &ChartInput) -> ChartData {
    ChartData {
        option: OptionJson::from_value(&chart_option(input)),
        range_starts: Range::ALL
            .iter()
            .map(|r| start_index(*r, input.bars))
            .collect(),
        end: input.bars.len().saturating_sub(1),
        details_at: details_at(input.view, input.line_open),
        news: news::drawn(input.news, input.view).map(|n| n.coin.to_string()),
    }
}

/// The option as JSON: the frame (tooltip, zooms), the panes and their axes
/// ([`panes`]), the series of compared symbols or of the price and the indicators, then
/// what charming cannot write.
pub fn chart_option(input: &ChartInput) -> Value {
    let view = input.view;
    let candles = view.draws_candles();
    let lower = panes::lower_panes(view);
    let mut legend: Vec<String> = Vec::new();
    let window = (
        start_index(view.range, input.bars),
        input.bars.len().saturating_sub(1),
    );
    let chart = panes::layout(frame(lower.len(), window), input.bars, view, &lower);
    let chart = if candles {
        candle_series(chart, input.symbol, &mut legend)
    } else {
        chart
    };
    let averages: Vec<Vec<Option<f64>>> = if view.comparing() {
        Vec::new()
    } else {
        view.ma
            .iter()
            .map(|p| moving_average(input.bars, usize::from(*p)))
            .collect()
    };
    let columns = panes::indicator_columns(view, averages.len());
    let chart = if view.comparing() {
        compared_lines(chart, input, &mut legend)
    } else {
        let chart = price_lines(chart, input, &mut legend);
        panes::indicator_series(chart, &columns, &lower, &mut legend)
    };
    let chart = chart.legend(Legend::new().top(0).data(legend));
    let mut option = serde_json::to_value(&chart).unwrap_or(Value::Null);
    let closes: Vec<f64> = input.bars.iter().map(|b| b.close).collect();
    let mut lines = averages;
    for (indicator, _) in &columns {
        lines.extend(indicators::columns(*indicator, &closes));
    }
    let details = details_at(view, input.line_open);
    option["dataset"] = json!({ "source": dataset(input.bars, &lines, details) });
    extend(&mut option, details.filter(|_| candles));
    panes::extend(&mut option, &columns, &lower);
    news::extend(
        &mut option,
        news::marks(input.news, view, input.bars),
        input.bars,
    );
    option
}

/// The tooltip (a crosshair over every series of the day) and the two zooms (wheel or
/// pinch inside, a slider under), over the price pane and the `lower` panes, showing
/// the days `window` (the view's range: the page draws the option before its
/// WebAssembly has started, `frontend/js/early.js`).
fn frame(lower: usize, window: (usize, usize)) -> Chart {
    let panes: Vec<i64> = (0..=lower as i64).collect();
    let (start, end) = (window.0 as i64, window.1 as i64);
    Chart::new()
        .background_color("transparent")
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Axis)
                .axis_pointer(AxisPointer::new().type_(AxisPointerType::Cross)),
        )
        .data_zoom(
            DataZoom::new()
                .type_(DataZoomType::Inside)
                .start_value(start)
                .end_value(end)
                .x_axis_index(panes.clone()),
        )
        .data_zoom(
            DataZoom::new()
                .type_(DataZoomType::Slider)
                .bottom(8)
                .start_value(start)
                .end_value(end)
                .x_axis_index(panes),
        )
}

/// The candles and the volume under them: series 0 and 1 (the first a placeholder
/// charming can write: [`extend`] makes it the candlestick).
fn candle_series(chart: Chart, symbol: &Symbol, legend: &mut Vec<String>) -> Chart {
    legend.push(symbol.to_string());
    legend.push("Volume".to_string());
    chart
        .series(Line::new().name(symbol.to_string()))
        .series(Bar::new().name("Volume").x_axis_index(1).y_axis_index(1))
}

/// Each symbol's closes as a series of its own. The browser rebases them to % change
/// from the first visible day (and again when the range changes).
fn compared_lines(mut chart: Chart, input: &ChartInput, legend: &mut Vec<String>) -> Chart {
    for (k, (name, values)) in input.compared_closes().into_iter().enumerate() {
        let hue = palette::COMPARE[k % palette::COMPARE.len()];
        legend.push(name.clone());
        chart = chart.series(
            line(&name, hue)
                .id(format!("{COMPARE_ID}{name}"))
                .connect_nulls(true)
                .data(values),
        );
    }
    chart
}

/// The close (and the open, when the owner asks) of a line chart, then each moving
/// average, all read from the dataset's columns.
fn price_lines(mut chart: Chart, input: &ChartInput, legend: &mut Vec<String>) -> Chart {
    let (symbol, view) = (input.symbol, input.view);
    let mut lines = Vec::new();
    if !view.draws_candles() {
        if let Some(at) = details_at(view, input.line_open) {
            lines.push((format!("{symbol} open"), at + detail::OPEN, palette::OPEN));
        }
        lines.push((format!("{symbol} close"), column::CLOSE, palette::CLOSE));
    }
    for (k, period) in view.ma.iter().enumerate() {
        // Each period keeps its colour, whichever others are on.
        let hue = MA_PERIODS.iter().position(|p| p == period).unwrap_or(0);
        lines.push((
            format!("MA {period}"),
            column::AVERAGES + k,
            palette::MA[hue % palette::MA.len()],
        ));
    }
    for (name, dim, hue) in lines {
        legend.push(name.clone());
        chart = chart.series(line(&name, hue).encode(DimensionEncode::new().x(0).y(dim as i64)));
    }
    chart
}

/// The open, high, low and volume of every day of `bars` (oldest first, the dataset's
/// days), for a page whose rows do not carry them.
pub fn bar_details(bars: &[DailyBar]) -> BarDetails {
    BarDetails {
        last: bars.last().map(|b| b.date.to_string()),
        rows: bars
            .iter()
            .map(|b| {
                (
                    tidy(b.open),
                    tidy(b.high),
                    tidy(b.low),
                    b.volume.round() as i64,
                )
            })
            .collect(),
    }
}

/// The dataset's rows (see [`crate::chart::wire::column`] and `detail`): the date, the
/// close, the averages' and indicators' `lines`, and the day's own columns from
/// `details` when it is given.
fn dataset(bars: &[DailyBar], lines: &[Vec<Option<f64>>], details: Option<usize>) -> Vec<Value> {
    bars.iter()
        .enumerate()
        .map(|(i, b)| {
            let mut row = vec![json!(b.date.to_string()), json!(tidy(b.close))];
            row.extend(lines.iter().map(|a| json!(a[i])));
            if details.is_some() {
                let volume = b.volume.round() as i64;
                row.extend([
                    json!(tidy(b.open)),
                    json!(tidy(b.high)),
                    json!(tidy(b.low)),
                    json!(volume),
                    json!((b.close < b.open).then_some(volume)),
                ]);
            }
            Value::Array(row)
        })
        .collect()
}

/// What charming 0.6 cannot write (see the module's comment), added to its JSON: the
/// tooltip's bounds and, for candles (their rows' own columns from `candles_at`), the
/// candlestick, the volume in two colours and the linked crosshair.
fn extend(option: &mut Value, candles_at: Option<usize>) {
    // The tooltip stays inside the chart (a phone's edge) and follows a tap.
    option["tooltip"]["confine"] = json!(true);
    option["tooltip"]["triggerOn"] = json!("mousemove|click");
    let Some(at) = candles_at else {
        return;
    };
    option["series"][0] = json!({
        "type": "candlestick",
        "name": option["series"][0]["name"],
        // ECharts reads a candle as [open, close, lowest, highest].
        "encode": {
            "x": column::DATE,
            "y": [at + detail::OPEN, column::CLOSE, at + detail::LOW, at + detail::HIGH],
        },
        "itemStyle": {
            "color": palette::UP.light,
            "borderColor": palette::UP.light,
            "color0": palette::DOWN.light,
            "borderColor0": palette::DOWN.light,
        },
    });
    let volume = &mut option["series"][1];
    volume["encode"] = json!({ "x": column::DATE, "y": at + detail::VOLUME });
    volume["large"] = json!(true);
    volume["itemStyle"] = json!({ "color": palette::UP.light });
    // A falling day's bar again, in its colour, over the first (drawn later, in the
    // same place: no gap between the two series).
    volume["barGap"] = json!("-100%");
    if let Some(series) = option["series"].as_array_mut() {
        series.push(json!({
            "type": "bar",
            "name": "Volume",
            "xAxisIndex": 1,
            "yAxisIndex": 1,
            "large": true,
            "barGap": "-100%",
            "encode": { "x": column::DATE, "y": at + detail::VOLUME_DOWN },
            "itemStyle": { "color": palette::DOWN.light },
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::view::{ChartKind, Range};
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
            news: None,
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
        assert_eq!(o["series"][0]["encode"]["y"], json!(column::CLOSE));
        let rows = o["dataset"]["source"].as_array().unwrap();
        assert_eq!(rows.len(), 5);
        // A line chart's rows carry the date and the close, nothing it does not draw.
        assert_eq!(rows[0], json!(["2024-01-01", 10.0]));
        assert_eq!(details_at(&ChartView::default(), false), None);
        assert_eq!(o["yAxis"]["type"], json!("value"));
    }

    #[test]
    fn both_zooms_show_the_window_of_the_views_range() {
        let ibm = Symbol::parse("IBM").unwrap();
        // 400 days to 2025-02-03: a year back starts on 2024-02-03, day 33.
        let b = bars("IBM", (2024, 1, 1), &vec![10.0; 400]);
        for (range, start) in [(Range::OneYear, 33), (Range::All, 0)] {
            let view = ChartView {
                range,
                ..ChartView::default()
            };
            let o = chart_option(&ChartInput {
                symbol: &ibm,
                bars: &b,
                view: &view,
                compared: &[],
                line_open: false,
                news: None,
            });
            assert_eq!(start, start_index(range, &b));
            for zoom in o["dataZoom"].as_array().unwrap() {
                assert_eq!(zoom["startValue"], json!(start), "{range:?}");
                assert_eq!(zoom["endValue"], json!(399), "{range:?}");
            }
        }
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
            news: None,
        });
        assert_eq!(
            series_types(&o),
            [
                ("line".into(), "IBM open".into()),
                ("line".into(), "IBM close".into())
            ]
        );
        let at = details_at(&view, true).unwrap();
        assert_eq!(o["series"][0]["encode"]["y"], json!(at + detail::OPEN));
        assert_eq!(
            o["dataset"]["source"][0],
            json!(["2024-01-01", 10.0, 9.0, 12.0, 8.0, 1000, null])
        );
    }

    #[test]
    fn bar_details_are_the_days_own_columns_in_the_datasets_order() {
        let b = bars("IBM", (2024, 1, 1), &[10.0, 11.0]);
        assert_eq!(
            serde_json::to_value(bar_details(&b)).unwrap(),
            json!({
                "last": "2024-01-02",
                "rows": [[9.0, 12.0, 8.0, 1000], [10.0, 13.0, 9.0, 1001]],
            })
        );
        assert_eq!(
            serde_json::to_value(bar_details(&[])).unwrap(),
            json!({ "last": null, "rows": [] })
        );
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
        assert_eq!(at, column::AVERAGES + 2, "after the two averages");
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
        assert_eq!(down["encode"]["y"], json!(at + detail::VOLUME_DOWN));
        assert_eq!(down["itemStyle"]["color"], json!(palette::DOWN.light));
        assert_eq!(
            o["series"][1]["itemStyle"]["color"],
            json!(palette::UP.light)
        );
        assert_eq!(down["barGap"], json!("-100%"));
        assert_eq!(
            o["series"][0]["encode"]["y"],
            json!([
                at + detail::OPEN,
                column::CLOSE,
                at + detail::LOW,
                at + detail::HIGH
            ])
        );
        assert_eq!(o["series"][1]["encode"]["y"], json!(at + detail::VOLUME));
        assert_eq!(o["dataZoom"][0]["xAxisIndex"], json!([0, 1]));
        assert_eq!(o["yAxis"][0]["type"], json!("log"));
        assert_eq!(o["grid"].as_array().unwrap().len(), 2);
        // The averages are dataset columns after the close.
        assert_eq!(o["series"][3]["encode"]["y"], json!(column::AVERAGES + 1));
        let rows = o["dataset"]["source"].as_array().unwrap();
        assert_eq!(rows[0].as_array().unwrap().len(), at + 5);
        assert_eq!(rows[0][at + detail::HIGH], json!(12.0));
        assert_eq!(
            rows[0][column::AVERAGES],
            Value::Null,
            "no average before 20 days"
        );
    }

    #[test]
    fn a_falling_days_volume_is_drawn_again_in_its_colour() {
        let view = ChartView {
            kind: ChartKind::Candles,
            ma: vec![20, 50],
            log: true,
            ..ChartView::default()
        };
        let at = details_at(&view, false).unwrap();
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
            news: None,
        });
        let rows2 = o2["dataset"]["source"].as_array().unwrap();
        assert_eq!(rows2[0][at + detail::VOLUME], json!(500));
        assert!(rows2[0][at + detail::VOLUME_DOWN].is_null(), "rose");
        assert_eq!(rows2[1][at + detail::VOLUME], json!(700));
        assert_eq!(rows2[1][at + detail::VOLUME_DOWN], json!(700), "fell");
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
}
