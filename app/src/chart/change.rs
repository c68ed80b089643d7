//! A price's change, one rule each: its direction (up, down or flat, shown by a class,
//! an arrow and a sign, never by colour alone), the change in percent, and a series
//! rebased to % change from a window's first day. The key stats and the server's
//! drawing use them; so do the browser's tooltip and compare lines.

use serde::{Deserialize, Serialize};
use serde_lite::{Deserialize as LiteDeserialize, Serialize as LiteSerialize};

/// Which way a change went.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, LiteSerialize, LiteDeserialize,
)]
pub enum Direction {
    // Named one by one: serde_lite reads `rename`, not `rename_all`.
    #[serde(rename = "up")]
    Up,
    #[serde(rename = "down")]
    Down,
    #[serde(rename = "flat")]
    Flat,
}

impl Direction {
    pub fn of(change: f64) -> Direction {
        if change > 0.0 {
            Direction::Up
        } else if change < 0.0 {
            Direction::Down
        } else {
            Direction::Flat
        }
    }

    /// The CSS class that colours it.
    pub fn class(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Flat => "flat",
        }
    }

    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Up => "▲",
            Direction::Down => "▼",
            Direction::Flat => "■",
        }
    }
}

/// The change from `from` to `to`, in percent; none from zero.
pub fn percent_change(from: f64, to: f64) -> Option<f64> {
    (from != 0.0).then(|| (to / from - 1.0) * 100.0)
}

/// `values` as % change from the first non-zero value present at or after `start`.
pub fn rebased(values: &[Option<f64>], start: usize) -> Vec<Option<f64>> {
    let base = values
        .iter()
        .skip(start)
        .flatten()
        .copied()
        .find(|v| *v != 0.0);
    values
        .iter()
        .map(|v| percent_change(base?, (*v)?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_and_changes() {
        assert_eq!(Direction::of(0.5).class(), "up");
        assert_eq!(Direction::of(-0.5).arrow(), "▼");
        assert_eq!(Direction::of(0.0), Direction::Flat);
        assert_eq!(serde_json::to_string(&Direction::Down).unwrap(), "\"down\"");
        assert_eq!(percent_change(100.0, 95.0).map(|p| p.round()), Some(-5.0));
        assert_eq!(percent_change(0.0, 1.0), None);
    }

    #[test]
    fn rebasing_starts_at_the_first_value_of_the_window() {
        assert_eq!(
            rebased(&[None, Some(50.0), Some(75.0)], 0),
            [None, Some(0.0), Some(50.0)]
        );
        assert_eq!(
            rebased(&[Some(1.0), Some(2.0)], 1),
            [Some(-50.0), Some(0.0)]
        );
        assert_eq!(rebased(&[Some(0.0), None], 0), [None, None], "no base");
    }
}
