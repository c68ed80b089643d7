//! `/weather`: the latest observation of every city the weather pipeline collects, in
//! the unit the URL asks for (`?unit=c|f`), and one city's temperature history
//! (`?city=`), drawn by the server as SVG (see [`crate::preview`]), so it shows with
//! JavaScript off.

use crate::dashboard::AppError;
use crate::page::DownloadLink;
use crate::sources::{PageHeader, SourceLine};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
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

    fn other(self) -> Unit {
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

/// Loads `/weather` for `city` (default: the first city) in `unit` (default °C).
#[server(endpoint = "weather")]
pub async fn get_weather(
    city: Option<String>,
    unit: Option<String>,
) -> Result<WeatherView, AppError> {
    use crate::state::AppState;
    let state = expect_context::<AppState>();
    crate::dashboard::load::respond(load::load_weather(&state, city, unit).await)
}

#[cfg(feature = "ssr")]
pub mod load {
    use super::*;
    use crate::chart_view::{echo, href};
    use crate::dashboard::load::unavailable;
    use crate::preview::{line_chart_html, Line};
    use crate::state::AppState;
    use axum::http::StatusCode;
    use store::{age_in_words, City, WeatherObservation};

    pub async fn load_weather(
        state: &AppState,
        city: Option<String>,
        unit: Option<String>,
    ) -> Result<(WeatherView, StatusCode), AppError> {
        let store = &state.store;
        let (latest, health) =
            tokio::try_join!(store.latest_weather(), store.sources()).map_err(unavailable)?;
        let mut status = StatusCode::OK;
        let mut notices = Vec::new();
        let unit = match unit.as_deref().filter(|u| !u.trim().is_empty()) {
            None => Unit::Celsius,
            Some(raw) => Unit::parse(raw).unwrap_or_else(|| {
                status = StatusCode::BAD_REQUEST;
                notices.push(format!(
                    "“{}” is not a unit: use c or f. Showing °C.",
                    echo(raw)
                ));
                Unit::Celsius
            }),
        };
        let known = |name: &str| latest.iter().any(|w| w.city == name);
        let selected = match city.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => latest.first().map(|w| w.city.clone()),
            Some(raw) => match City::parse(raw) {
                Err(why) => {
                    status = StatusCode::BAD_REQUEST;
                    notices.push(format!("“{}” is not a city: {why}.", echo(raw)));
                    None
                }
                Ok(city) if known(city.as_str()) => Some(city.as_str().to_string()),
                Ok(city) => {
                    status = StatusCode::NOT_FOUND;
                    notices.push(format!(
                        "There is no weather for {city}. Pick one of the cities below."
                    ));
                    None
                }
            },
        };
        let history = match &selected {
            Some(city) => store.weather_for(city).await.map_err(unavailable)?,
            None => Vec::new(),
        };
        let now = chrono::Utc::now();
        let page = |city: Option<&str>, unit: Unit| {
            href("/weather", &[("city", city), ("unit", Some(unit.param()))])
        };
        let rows = latest
            .iter()
            .map(|w| CityRow {
                city: w.city.clone(),
                href: page(Some(&w.city), unit),
                temperature: temperature(w, unit),
                other: temperature(w, unit.other()),
                humidity: format!("{} %", w.humidity),
                description: w.description.clone(),
                observed_iso: w.observed_at.to_rfc3339(),
                observed_ago: age_in_words(w.observed_at, now),
                observed_shown: w.observed_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            })
            .collect();
        let values: Vec<f64> = history.iter().map(|w| value(w, unit)).collect();
        let chart = match &selected {
            Some(city) => line_chart_html(
                &[Line {
                    label: format!("{city} ({})", unit.symbol()),
                    class: "temp",
                    values: values.iter().copied().map(Some).collect(),
                }],
                |i| history[i].observed_at.format("%b %-d %H:%M").to_string(),
            ),
            None => String::new(),
        };
        let summary = selected.as_ref().map(|city| summary(city, &history, unit));
        Ok((
            WeatherView {
                title: state.settings.title.clone(),
                unit,
                rows,
                other_unit: page(selected.as_deref(), unit.other()),
                csv: href("/weather.csv", &[("city", selected.as_deref())]),
                selected,
                chart,
                summary,
                freshness: crate::sources::source_lines(&health, &state.settings, now),
                notice: (!notices.is_empty()).then(|| notices.join(" ")),
            },
            status,
        ))
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
}

/// `/weather`.
#[component]
pub fn WeatherPage() -> impl IntoView {
    let query = use_query_map();
    let requested = move || {
        let q = query.read();
        (q.get("city"), q.get("unit"))
    };
    let weather = Resource::new(requested, |(city, unit)| get_weather(city, unit));
    crate::page::loaded_page(weather, |view| view! { <WeatherBody view /> })
}

#[component]
fn WeatherBody(view: WeatherView) -> impl IntoView {
    let WeatherView {
        title,
        unit,
        rows,
        selected,
        chart,
        summary,
        other_unit,
        csv,
        freshness,
        notice,
    } = view;
    let cities: Vec<String> = rows.iter().map(|r| r.city.clone()).collect();
    let empty = rows.is_empty();
    let other = unit.other();
    view! {
        <PageHeader site=title page=Some("Weather") freshness notice />
        {empty.then(|| view! {
            <p class="banner" role="note" data-testid="weather-empty">
                "No weather yet. Fill it with "
                <code>"cargo run -p ingest -- weather London Paris"</code>
                " (needs " <code>"OPENWEATHER_API_KEY"</code> ")."
            </p>
        })}
        <div class="toolbar">
            <CityForm cities selected=selected.clone() unit />
            <p class="unit-toggle" role="group" aria-label="Unit">
                <span aria-current="true" data-testid="unit-current">{unit.symbol()}</span>
                <a href=other_unit data-testid="unit-other">{format!("Show {}", other.symbol())}</a>
            </p>
            <DownloadLink href=csv label="Weather CSV" />
        </div>
        {selected.map(|city| view! {
            <section class="chart-card" aria-label=format!("Temperature history of {city}")>
                <div class="chart compact" data-testid="weather-chart" role="img"
                    aria-label=format!("{city} temperature in {}", unit.symbol())>
                    <div class="chart-static" aria-hidden="true" inner_html=chart></div>
                </div>
                <p class="sr-summary" data-testid="weather-summary">{summary}</p>
            </section>
        })}
        <section class="news" aria-labelledby="weather-caption">
            <table data-testid="weather-table" class="weather">
                <caption id="weather-caption">"Latest observation per city"</caption>
                <thead>
                    <tr>
                        <th scope="col">"City"</th>
                        <th scope="col">{format!("Temp. {}", unit.symbol())}</th>
                        <th scope="col">{format!("Temp. {}", other.symbol())}</th>
                        <th scope="col">"Humidity"</th>
                        <th scope="col">"Conditions"</th>
                        <th scope="col">"Observed"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let city = r.city.clone();
                            view! {
                            <tr data-city=city>
                                <th scope="row"><a href=r.href>{r.city}</a></th>
                                <td class="num" data-testid="temp">{r.temperature}</td>
                                <td class="num">{r.other}</td>
                                <td class="num">{r.humidity}</td>
                                <td>{r.description}</td>
                                <td>
                                    <time datetime=r.observed_iso title=r.observed_shown.clone()>
                                        {r.observed_ago}
                                    </time>
                                    <span class="sub">{r.observed_shown}</span>
                                </td>
                            </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

/// Picks the city whose history is drawn: a GET form; with JavaScript a change
/// navigates at once (`data-live`, see `public/nav.js`).
#[component]
fn CityForm(cities: Vec<String>, selected: Option<String>, unit: Unit) -> impl IntoView {
    view! {
        <form method="get" action="/weather" class="controls" data-live="push">
            <label for="city">"City"</label>
            <select id="city" name="city" data-testid="city-select">
                {cities
                    .into_iter()
                    .map(|c| {
                        let is_selected = Some(&c) == selected.as_ref();
                        view! { <option value=c.clone() selected=is_selected>{c.clone()}</option> }
                    })
                    .collect_view()}
            </select>
            <input type="hidden" name="unit" value=unit.param() />
            <button type="submit" class="no-js-only">"Show"</button>
        </form>
    }
    .into_any()
}
