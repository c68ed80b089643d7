//! The days of a symbol as the chart needs them: the window of a range, moving
//! averages, another symbol's closes on the main one's dates, short numbers.

use crate::chart::view::Range;
use store::DailyBar;

/// How far back a range reaches from the last day; `None` for all days.
fn months(range: Range) -> Option<u32> {
    match range {
        Range::OneMonth => Some(1),
        Range::SixMonths => Some(6),
        Range::OneYear => Some(12),
        Range::FiveYears => Some(60),
        Range::All => None,
    }
}

/// Index of the first day inside `range` ending at the last day (`bars` oldest first).
pub fn start_index(range: Range, bars: &[DailyBar]) -> usize {
    let (Some(months), Some(last)) = (months(range), bars.last()) else {
        return 0;
    };
    let cutoff = last
        .date
        .checked_sub_months(chrono::Months::new(months))
        .unwrap_or(last.date);
    bars.partition_point(|b| b.date < cutoff)
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

/// The closes of `bars`, each present.
pub fn closes(bars: &[DailyBar]) -> Vec<Option<f64>> {
    bars.iter().map(|b| Some(b.close)).collect()
}

/// Six significant digits: enough for any price, and short in JSON.
pub fn tidy(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(5 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use store::Symbol;

    fn series(days: i64) -> Vec<DailyBar> {
        let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        (0..days)
            .map(|i| {
                DailyBar::from_ohlcv(
                    Symbol::parse("X").unwrap(),
                    first + chrono::Duration::days(i),
                    [1.0, 1.0, 1.0, 1.0 + i as f64, 0.0],
                )
            })
            .collect()
    }

    #[test]
    fn range_start_index_counts_back_from_the_last_date() {
        let s = series(800); // 2020-01-01 .. 2022-03-10
        assert_eq!(start_index(Range::All, &s), 0);
        let one_month = start_index(Range::OneMonth, &s);
        assert_eq!(
            s[one_month].date,
            NaiveDate::from_ymd_opt(2022, 2, 10).unwrap()
        );
        let one_year = start_index(Range::OneYear, &s);
        assert_eq!(
            s[one_year].date,
            NaiveDate::from_ymd_opt(2021, 3, 10).unwrap()
        );
        assert_eq!(start_index(Range::FiveYears, &s), 0);
        assert_eq!(start_index(Range::OneYear, &[]), 0);
    }

    #[test]
    fn averages_and_short_numbers() {
        let b = series(4); // closes 1, 2, 3, 4
        assert_eq!(
            moving_average(&b, 2),
            [None, Some(1.5), Some(2.5), Some(3.5)]
        );
        assert_eq!(tidy(123.456789), 123.457);
        assert_eq!(tidy(0.000123456789), 0.000123457);
    }
}
