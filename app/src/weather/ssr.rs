//! The server side of [`super::get_weather`]: [`load_weather`] and its steps.

use super::data::{CityRow, Unit, WeatherView};
use crate::error::AppError;
use crate::ssr::state::AppState;
use crate::ssr::status::{unavailable, Verdict};
use crate::ssr::svg::{line_chart_html, Line};
use crate::text::{echo, given, href};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use store::{age_in_words, City, WeatherObservation};

/// `/weather` for `city` (default: the first city) in `unit` (default °C), and the
/// status that fits (see [`crate::ssr::status`]).
pub async fn load_weather(
    state: &AppState,
    city: Option<String>,
    unit: Option<String>,
) -> Result<(WeatherView, StatusCode), AppError> {
    let store = &state.store;
    let (latest, health) =
        tokio::try_join!(store.latest_weather(), store.sources()).map_err(unavailable)?;
    let mut verdict = Verdict::default();
    let unit = read_unit(unit.as_deref(), &mut verdict);
    let selected = pick_city(city.as_deref(), &latest, &mut verdict);
    let history = match &selected {
        Some(city) => store.weather_for(city).await.map_err(unavailable)?,
        None => Vec::new(),
    };
    let now = Utc::now();
    let view = WeatherView {
        title: state.settings.title.clone(),
        public_url: state.settings.public_url.clone(),
        unit,
        rows: latest.iter().map(|w| city_row(w, unit, now)).collect(),
        other_unit: page(selected.as_deref(), unit.other()),
        csv: href("/weather.csv", &[("city", selected.as_deref())]),
        chart: selected
            .as_deref()
            .map(|city| history_chart(city, &history, unit))
            .unwrap_or_default(),
        summary: selected.as_ref().map(|city| summary(city, &history, unit)),
        selected,
        freshness: crate::freshness::ssr::source_lines(&health, &state.settings, now),
        notice: verdict.notice(),
    };
    Ok((view, verdict.status()))
}

/// `/weather` for `city` in `unit`.
fn page(city: Option<&str>, unit: Unit) -> String {
    href("/weather", &[("city", city), ("unit", Some(unit.param()))])
}

/// `?unit=c|f`; °C, with a notice (400), for anything else.
fn read_unit(raw: Option<&str>, verdict: &mut Verdict) -> Unit {
    let Some(raw) = given(raw) else {
        return Unit::Celsius;
    };
    Unit::parse(raw).unwrap_or_else(|| {
        verdict.malformed(format!(
            "“{}” is not a unit: use c or f. Showing °C.",
            echo(raw)
        ));
        Unit::Celsius
    })
}

/// The city whose history is drawn: the first one when the URL names none; none, with
/// a notice, for a malformed name (400) or a city without weather (404).
fn pick_city(
    raw: Option<&str>,
    latest: &[WeatherObservation],
    verdict: &mut Verdict,
) -> Option<String> {
    let Some(raw) = given(raw) else {
        return latest.first().map(|w| w.city.clone());
    };
    match City::parse(raw) {
        Ok(city) if latest.iter().any(|w| w.city == city.as_str()) => {
            Some(city.as_str().to_string())
        }
        Ok(city) => {
            verdict.missing(format!(
                "There is no weather for {city}. Pick one of the cities below."
            ));
            None
        }
        Err(why) => {
            verdict.malformed(format!("“{}” is not a city: {why}.", echo(raw)));
            None
        }
    }
}

fn city_row(w: &WeatherObservation, unit: Unit, now: DateTime<Utc>) -> CityRow {
    CityRow {
        city: w.city.clone(),
        href: page(Some(&w.city), unit),
        temperature: temperature(w, unit),
        other: temperature(w, unit.other()),
        humidity: format!("{} %", w.humidity),
        description: w.description.clone(),
        observed_iso: w.observed_at.to_rfc3339(),
        observed_ago: age_in_words(w.observed_at, now),
        observed_shown: w.observed_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// The city's temperatures as an SVG line chart.
fn history_chart(city: &str, history: &[WeatherObservation], unit: Unit) -> String {
    line_chart_html(
        vec![Line {
            label: format!("{city} ({})", unit.symbol()),
            class: "temp",
            values: history.iter().map(|w| Some(value(w, unit))).collect(),
            thin: false,
        }],
        |i| history[i].observed_at.format("%b %-d %H:%M").to_string(),
    )
}

fn value(w: &WeatherObservation, unit: Unit) -> f64 {
    match unit {
        Unit::Celsius => w.temp_c,
        Unit::Fahrenheit => w.temp_f,
    }
}

fn temperature(w: &WeatherObservation, unit: Unit) -> String {
    format!("{:.1} {}", value(w, unit), unit.symbol())
}

/// "London: 112 observations from … to …; lowest 2.1 °C, highest 13.0 °C, latest 9.5 °C."
fn summary(city: &str, history: &[WeatherObservation], unit: Unit) -> String {
    let (Some(first), Some(last)) = (history.first(), history.last()) else {
        return format!("{city}: no observations.");
    };
    let values = history.iter().map(|w| value(w, unit));
    let low = values.clone().fold(f64::INFINITY, f64::min);
    let high = values.fold(f64::NEG_INFINITY, f64::max);
    let u = unit.symbol();
    format!(
        "{city}: {} observations from {} to {}; lowest {low:.1} {u}, highest {high:.1} {u}, latest {:.1} {u}.",
        history.len(),
        first.observed_at.format("%Y-%m-%d %H:%M"),
        last.observed_at.format("%Y-%m-%d %H:%M UTC"),
        value(last, unit),
    )
}
