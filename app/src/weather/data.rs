//! What `get_weather` answers: everything `/weather` shows.

use crate::freshness::SourceLine;
use serde::{Deserialize, Serialize};

/// The temperature unit shown first and drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    #[default]
    Celsius,
    Fahrenheit,
}

impl Unit {
    /// As the URL writes it: `c`, `f`.
    pub fn param(self) -> &'static str {
        match self {
            Unit::Celsius => "c",
            Unit::Fahrenheit => "f",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Celsius => "°C",
            Unit::Fahrenheit => "°F",
        }
    }

    pub fn parse(raw: &str) -> Option<Unit> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "c" => Some(Unit::Celsius),
            "f" => Some(Unit::Fahrenheit),
            _ => None,
        }
    }

    pub fn other(self) -> Unit {
        match self {
            Unit::Celsius => Unit::Fahrenheit,
            Unit::Fahrenheit => Unit::Celsius,
        }
    }
}

/// Everything `/weather` shows, made on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeatherView {
    pub title: String,
    pub unit: Unit,
    /// One row per city, by city.
    pub rows: Vec<CityRow>,
    /// The city whose history is drawn.
    pub selected: Option<String>,
    /// The history as SVG with labels (empty when there is none).
    pub chart: String,
    /// The history in one line of words, for screen readers.
    pub summary: Option<String>,
    /// The page in the other unit, same city.
    pub other_unit: String,
    pub csv: String,
    pub freshness: Vec<SourceLine>,
    pub notice: Option<String>,
    /// The public base URL (`public_url`), for the page's link preview.
    #[serde(skip)]
    pub public_url: Option<String>,
}

/// One city's latest observation, as the table shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CityRow {
    pub city: String,
    /// This page with the city's history drawn.
    pub href: String,
    /// In the page's unit: `-3.5 °C`.
    pub temperature: String,
    /// In the other unit.
    pub other: String,
    pub humidity: String,
    pub description: String,
    pub observed_iso: String,
    /// "2 h ago".
    pub observed_ago: String,
    /// `2026-11-22 09:00 UTC`.
    pub observed_shown: String,
}
