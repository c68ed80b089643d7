//! The news on the chart: a marker on the price (the close, or a candle's high) of each
//! day the symbol's news coin has headlines, with their count. ECharts draws them as
//! pins of a line series of its own ([`NEWS_ID`], sparse: one item per marked day,
//! no line between them), so they follow the range and the zoom; the server's drawing
//! places the same marks ([`super::preview`]). A day without a bar (a weekend of a
//! stock) marks the next day that has one.

use crate::chart::ssr::series::tidy;
use crate::chart::view::ChartView;
use crate::chart::wire::{palette, NEWS_ID};
use chrono::NaiveDate;
use serde_json::{json, Value};
use store::DailyBar;

/// A coin and how many headlines it has on each day that has any, oldest first.
#[derive(Clone, Copy)]
pub struct News<'a> {
    pub coin: &'a str,
    pub days: &'a [(NaiveDate, u32)],
}

impl<'a> News<'a> {
    pub fn on(coin: &'a str, days: &'a [(NaiveDate, u32)]) -> Self {
        News { coin, days }
    }
}

/// A marked day: the bar's index, the price the marker sits on, the headlines' count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    pub at: usize,
    pub price: f64,
    pub count: u32,
}

/// The news drawn on `view`: the coin's, unless `markers=off` or comparing (% lines).
pub fn drawn<'a>(news: Option<News<'a>>, view: &ChartView) -> Option<News<'a>> {
    news.filter(|_| !view.markers_off && !view.comparing())
}

/// The marks of `news` on `bars` as `view` draws them (none when [`drawn`] is `None`).
pub fn marks(news: Option<News>, view: &ChartView, bars: &[DailyBar]) -> Vec<Mark> {
    match drawn(news, view) {
        Some(news) => marks_on(bars, news.days, view.draws_candles()),
        None => Vec::new(),
    }
}

/// Each day of `days` on the first bar of `bars` on or after it (days after the last bar
/// are left out; two days on one bar add up), on the close or, for `candles`, the high.
pub fn marks_on(bars: &[DailyBar], days: &[(NaiveDate, u32)], candles: bool) -> Vec<Mark> {
    let mut marks: Vec<Mark> = Vec::new();
    for (day, count) in days {
        let at = bars.partition_point(|b| b.date < *day);
        let Some(bar) = bars.get(at) else { break };
        match marks.last_mut() {
            Some(last) if last.at == at => last.count += count,
            _ => marks.push(Mark {
                at,
                price: if candles { bar.high } else { bar.close },
                count: *count,
            }),
        }
    }
    marks
}

/// The markers' series, added to the option: pins with the count in them, over every
/// other series, no line between them. Their tooltip lines come from the browser.
pub fn extend(option: &mut Value, marks: Vec<Mark>, bars: &[DailyBar]) {
    if marks.is_empty() {
        return;
    }
    let data: Vec<Value> = marks
        .iter()
        .map(|m| json!([bars[m.at].date.to_string(), tidy(m.price), m.count]))
        .collect();
    if let Some(series) = option["series"].as_array_mut() {
        series.push(json!({
            "type": "line",
            "id": NEWS_ID,
            "name": "News",
            "data": data,
            "symbol": "pin",
            "symbolSize": 26,
            // The pin's tip on the price, its head (where a click lands) above the line.
            "symbolOffset": [0, "-50%"],
            "showSymbol": true,
            "showAllSymbol": true,
            "z": 5,
            "lineStyle": { "opacity": 0 },
            "itemStyle": { "color": palette::NEWS.light },
            "label": { "show": true, "position": "inside", "formatter": "{@[2]}", "fontSize": 10, "color": "#fff" },
            "emphasis": { "scale": 1.2 },
            "cursor": "pointer",
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::Symbol;

    fn weekdays() -> Vec<DailyBar> {
        // Mon 2024-01-01 … Fri 2024-01-05, then Mon 2024-01-08.
        [1, 2, 3, 4, 5, 8]
            .iter()
            .map(|d| {
                DailyBar::from_ohlcv(
                    Symbol::parse("IBM").unwrap(),
                    NaiveDate::from_ymd_opt(2024, 1, *d).unwrap(),
                    [10.0, 12.0 + *d as f64, 9.0, 11.0 + *d as f64, 100.0],
                )
            })
            .collect()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
    }

    #[test]
    fn a_weekends_news_marks_monday_and_adds_up() {
        let days = [
            (day(1), 2),
            (day(6), 3),
            (day(7), 1),
            (day(8), 4),
            (day(9), 5),
        ];
        let marks = marks_on(&weekdays(), &days, false);
        assert_eq!(
            marks,
            [
                Mark {
                    at: 0,
                    price: 12.0,
                    count: 2
                },
                // Sat 3 + Sun 1 + Mon 4, on Monday's close.
                Mark {
                    at: 5,
                    price: 19.0,
                    count: 8
                },
            ],
            "the 9th is after the last bar"
        );
        let on_candles = marks_on(&weekdays(), &days[..1], true);
        assert_eq!(on_candles[0].price, 13.0, "a candle's high");
        assert!(marks_on(&weekdays(), &[], false).is_empty());
    }
}
