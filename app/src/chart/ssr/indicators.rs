//! The indicators of `?ind=` ([`Indicator`]), computed from the closes on the server:
//! exponential averages, Bollinger bands, RSI with Wilder's smoothing, MACD. Each is one
//! value per day, oldest first, `None` while its window warms up (never zero: a chart
//! would draw a false dip).
//!
//! The conventions are the ones charting sites publish (StockCharts' ChartSchool, which
//! the tests reproduce): an EMA starts at the simple average of its first `period`
//! values; Bollinger bands use the population standard deviation; RSI averages its
//! first 14 gains and losses simply, then smooths by 1/14 (Wilder); MACD's signal is
//! the 9-day EMA of the MACD line from the MACD's first day.

use crate::chart::ssr::series::tidy;
use crate::chart::view::Indicator;

/// An indicator's values over the closes, with its parameters (the one place that
/// names them: the option's columns and the server's drawing both read these).
pub enum Study {
    /// EMA 20 or 50, RSI 14: one line.
    Line(Vec<Option<f64>>),
    /// Bollinger (20, 2σ).
    Bands(Bands),
    /// MACD (12, 26, 9).
    Macd(Macd),
}

/// `indicator` computed over `closes` (oldest first).
pub fn study(indicator: Indicator, closes: &[f64]) -> Study {
    match indicator {
        Indicator::Ema20 => Study::Line(ema(closes, 20)),
        Indicator::Ema50 => Study::Line(ema(closes, 50)),
        Indicator::Bollinger => Study::Bands(bollinger(closes, 20, 2.0)),
        Indicator::Rsi => Study::Line(rsi(closes, 14)),
        Indicator::Macd => Study::Macd(macd(closes, 12, 26, 9)),
    }
}

/// The dataset columns `indicator` adds, in this order (see `chart/wire.rs`'s
/// `column::INDICATOR_*`): EMA `[ema]`; Bollinger `[lower, upper − lower, middle]` (the
/// band is the second stacked on the first); RSI `[rsi]`; MACD `[macd, signal,
/// histogram ≥ 0, histogram < 0]` (each bar in its direction's colour).
pub fn columns(indicator: Indicator, closes: &[f64]) -> Vec<Vec<Option<f64>>> {
    let tidied = |v: Vec<Option<f64>>| v.into_iter().map(|x| x.map(tidy)).collect();
    match study(indicator, closes) {
        Study::Line(line) => vec![tidied(line)],
        Study::Bands(b) => {
            let width = b
                .upper
                .iter()
                .zip(&b.lower)
                .map(|(u, l)| Some(u.as_ref()? - l.as_ref()?))
                .collect();
            vec![tidied(b.lower), tidied(width), tidied(b.middle)]
        }
        Study::Macd(m) => {
            let side = |up: bool| {
                m.histogram
                    .iter()
                    .map(|h| h.filter(|h| (*h >= 0.0) == up))
                    .collect()
            };
            vec![
                tidied(m.macd),
                tidied(m.signal),
                tidied(side(true)),
                tidied(side(false)),
            ]
        }
    }
}

/// How many columns [`columns`] gives `indicator`.
pub fn width(indicator: Indicator) -> usize {
    match indicator {
        Indicator::Bollinger => 3,
        Indicator::Macd => 4,
        _ => 1,
    }
}

/// The exponential moving average over `period` days, `k = 2 / (period + 1)`, seeded
/// with the simple average of the first `period` values.
pub fn ema(values: &[f64], period: usize) -> Vec<Option<f64>> {
    let given: Vec<Option<f64>> = values.iter().copied().map(Some).collect();
    ema_of(&given, period)
}

/// [`ema`] of values that start after some empty days (the MACD line): it warms up
/// from the first value given.
fn ema_of(values: &[Option<f64>], period: usize) -> Vec<Option<f64>> {
    let mut out = vec![None; values.len()];
    let Some(first) = values.iter().position(Option::is_some) else {
        return out;
    };
    if period == 0 || values.len() < first + period {
        return out;
    }
    let k = 2.0 / (period as f64 + 1.0);
    let seed_at = first + period - 1;
    let mut ema = values[first..=seed_at].iter().flatten().sum::<f64>() / period as f64;
    out[seed_at] = Some(ema);
    for (i, v) in values.iter().enumerate().skip(seed_at + 1) {
        let Some(v) = v else { break };
        ema += (v - ema) * k;
        out[i] = Some(ema);
    }
    out
}

/// Bollinger bands: the simple average over `period` days and `k` population standard
/// deviations either side of it.
pub struct Bands {
    pub upper: Vec<Option<f64>>,
    pub middle: Vec<Option<f64>>,
    pub lower: Vec<Option<f64>>,
}

pub fn bollinger(closes: &[f64], period: usize, k: f64) -> Bands {
    let n = closes.len();
    let mut bands = Bands {
        upper: vec![None; n],
        middle: vec![None; n],
        lower: vec![None; n],
    };
    if period == 0 {
        return bands;
    }
    for end in period..=n {
        let window = &closes[end - period..end];
        let mean = window.iter().sum::<f64>() / period as f64;
        let variance = window.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / period as f64;
        let sd = variance.sqrt();
        bands.middle[end - 1] = Some(mean);
        bands.upper[end - 1] = Some(mean + k * sd);
        bands.lower[end - 1] = Some(mean - k * sd);
    }
    bands
}

/// The relative strength index over `period` days with Wilder's smoothing: the first
/// average gain and loss are the simple averages of the first `period` changes, each
/// next one `(previous × (period − 1) + today's) / period`. 100 when nothing fell.
pub fn rsi(closes: &[f64], period: usize) -> Vec<Option<f64>> {
    let mut out = vec![None; closes.len()];
    if period == 0 || closes.len() <= period {
        return out;
    }
    let change = |i: usize| closes[i] - closes[i - 1];
    let (mut gain, mut loss) = (1..=period).fold((0.0, 0.0), |(g, l), i| {
        let c = change(i);
        (g + c.max(0.0), l + (-c).max(0.0))
    });
    gain /= period as f64;
    loss /= period as f64;
    let p = period as f64;
    out[period] = Some(strength(gain, loss));
    for (i, slot) in out.iter_mut().enumerate().skip(period + 1) {
        let c = change(i);
        gain = (gain * (p - 1.0) + c.max(0.0)) / p;
        loss = (loss * (p - 1.0) + (-c).max(0.0)) / p;
        *slot = Some(strength(gain, loss));
    }
    out
}

/// `100 − 100 / (1 + gain / loss)`, 100 when there was no loss (50 when nothing moved).
fn strength(gain: f64, loss: f64) -> f64 {
    if loss == 0.0 {
        if gain == 0.0 {
            50.0
        } else {
            100.0
        }
    } else {
        100.0 - 100.0 / (1.0 + gain / loss)
    }
}

/// MACD: the fast EMA less the slow one, its signal line (an EMA of it) and the
/// histogram (MACD less signal).
pub struct Macd {
    pub macd: Vec<Option<f64>>,
    pub signal: Vec<Option<f64>>,
    pub histogram: Vec<Option<f64>>,
}

pub fn macd(closes: &[f64], fast: usize, slow: usize, signal: usize) -> Macd {
    let (f, s) = (ema(closes, fast), ema(closes, slow));
    let line: Vec<Option<f64>> = f
        .iter()
        .zip(&s)
        .map(|(f, s)| Some(f.as_ref()? - s.as_ref()?))
        .collect();
    let signal = ema_of(&line, signal);
    let histogram = line
        .iter()
        .zip(&signal)
        .map(|(m, s)| Some(m.as_ref()? - s.as_ref()?))
        .collect();
    Macd {
        macd: line,
        signal,
        histogram,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close_to(got: Option<f64>, want: f64, within: f64) -> bool {
        got.is_some_and(|g| (g - want).abs() <= within)
    }

    /// StockCharts ChartSchool, "Moving Averages – Simple and Exponential": a 10-day EMA
    /// of these 30 closes, its published values rounded to cents.
    #[test]
    fn ema_matches_the_published_worked_example() {
        let closes = [
            22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29, 22.15, 22.39,
            22.38, 22.61, 23.36, 24.05, 23.75, 23.83, 23.95, 23.63, 23.82, 23.87, 23.65, 23.19,
            23.10, 23.33, 22.68, 23.10, 22.40, 22.17,
        ];
        let published = [
            22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.80, 22.97, 23.13, 23.28, 23.34, 23.43,
            23.51, 23.53, 23.47, 23.40, 23.39, 23.26, 23.23, 23.08, 22.92,
        ];
        let e = ema(&closes, 10);
        assert!(
            e[..9].iter().all(Option::is_none),
            "nine warm-up days, empty"
        );
        for (k, want) in published.iter().enumerate() {
            assert!(
                close_to(e[9 + k], *want, 0.006),
                "day {}: {:?} ≠ {want}",
                9 + k,
                e[9 + k]
            );
        }
    }

    /// StockCharts ChartSchool, "Relative Strength Index (RSI)": 14-day RSI of these 33
    /// closes, its published values to two decimals. The article's table carries its
    /// average gain and loss rounded, which moves its RSI by up to 0.07 early on (70.53
    /// for the exact 70.46: gains 3.34 / 14 and losses 1.40 / 14), less later.
    #[test]
    fn rsi_matches_the_published_worked_example() {
        let closes = [
            44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84, 46.08, 45.89, 46.03,
            45.61, 46.28, 46.28, 46.00, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45,
            45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13,
        ];
        let published = [
            70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42,
            39.99, 41.46, 41.87, 45.46, 37.30, 33.08, 37.77,
        ];
        let r = rsi(&closes, 14);
        assert!(
            r[..14].iter().all(Option::is_none),
            "14 warm-up days, empty"
        );
        for (k, want) in published.iter().enumerate() {
            assert!(
                close_to(r[14 + k], *want, 0.08),
                "day {}: {:?} ≠ {want}",
                14 + k,
                r[14 + k]
            );
        }
        let exact = 100.0 - 100.0 / (1.0 + 3.34 / 1.40);
        assert!(close_to(r[14], exact, 1e-9), "{:?} ≠ {exact}", r[14]);
        assert_eq!(rsi(&[1.0, 2.0, 3.0], 2)[2], Some(100.0), "nothing fell");
    }

    /// The population standard deviation of 2, 4, 4, 4, 5, 5, 7, 9 is 2 around a mean of
    /// 5 (the textbook example): bands at 5 ± 2 × 2.
    #[test]
    fn bollinger_bands_use_the_population_deviation() {
        let closes = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, 9.0];
        let b = bollinger(&closes, 8, 2.0);
        assert!(b.middle[..7].iter().all(Option::is_none));
        assert_eq!(
            (b.lower[7], b.middle[7], b.upper[7]),
            (Some(1.0), Some(5.0), Some(9.0))
        );
        // The next window (4 … 9): mean 5.875.
        assert!(close_to(b.middle[8], 5.875, 1e-12));
        let cols = columns(Indicator::Bollinger, &[10.0; 25]);
        assert_eq!(cols.len(), width(Indicator::Bollinger));
        assert_eq!(
            (cols[0][19], cols[1][19], cols[2][19]),
            (Some(10.0), Some(0.0), Some(10.0))
        );
        assert_eq!(cols[0][18], None, "first defined on day 20");
    }

    /// On a straight line rising `s` a day, an SMA-seeded EMA over `n` days lags the line
    /// by exactly `s (n − 1) / 2`, so MACD (12, 26) is `s (25 − 11) / 2 = 7 s`, its
    /// signal the same, its histogram zero.
    #[test]
    fn macd_on_a_straight_line_is_the_difference_of_the_two_lags() {
        let s = 0.5;
        let closes: Vec<f64> = (0..80).map(|i| 100.0 + s * i as f64).collect();
        let m = macd(&closes, 12, 26, 9);
        assert!(
            m.macd[..25].iter().all(Option::is_none),
            "first MACD on day 26"
        );
        assert!(
            m.signal[..33].iter().all(Option::is_none),
            "first signal on day 34"
        );
        for i in 25..80 {
            assert!(
                close_to(m.macd[i], 7.0 * s, 1e-9),
                "day {i}: {:?}",
                m.macd[i]
            );
        }
        for i in 33..80 {
            assert!(close_to(m.signal[i], 7.0 * s, 1e-9));
            assert!(close_to(m.histogram[i], 0.0, 1e-9));
        }
        let cols = columns(Indicator::Macd, &closes);
        assert_eq!(cols.len(), width(Indicator::Macd));
        assert!(
            cols[2][40].is_some() ^ cols[3][40].is_some(),
            "one side a day"
        );
    }

    #[test]
    fn too_few_days_are_all_empty() {
        assert!(ema(&[1.0; 5], 20).iter().all(Option::is_none));
        assert!(rsi(&[1.0; 14], 14).iter().all(Option::is_none));
        assert!(macd(&[1.0; 30], 12, 26, 9)
            .signal
            .iter()
            .all(Option::is_none));
        assert!(ema(&[], 20).is_empty());
    }
}
