//! The chart's server half: the days as series ([`series`]), the ECharts option built
//! with charming ([`option`]) and the drawing of the first paint ([`preview`]).

pub mod indicators;
pub mod news;
pub mod option;
pub mod panes;
pub mod picture;
pub mod preview;
pub mod series;
