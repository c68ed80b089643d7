//! `/weather`: the latest observation of every city the weather pipeline collects, in
//! the unit the URL asks for (`?unit=c|f`), and one city's temperature history
//! (`?city=`), drawn by the server as SVG (see [`crate::ssr::svg`]), so it shows with
//! JavaScript off. The same shape as `/`: [`get_weather`] answers [`data`], loaded by
//! [`ssr`].

pub mod data;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::error::AppError;
use crate::frame::{loaded_page, DownloadLink, PageHeader, PagePreview};
use data::{CityRow, Unit, WeatherView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Loads `/weather` for `city` (default: the first city) in `unit` (default °C).
#[server(endpoint = "weather")]
pub async fn get_weather(
    city: Option<String>,
    unit: Option<String>,
) -> Result<WeatherView, AppError> {
    use crate::ssr::state::AppState;
    use crate::ssr::status::respond;
    let state = expect_context::<AppState>();
    respond(ssr::load_weather(&state, city, unit).await)
}

/// What `/weather` reads from its URL (see [`crate::query_params`]).
pub const QUERY: &[crate::QueryParam] = &[("city", false), ("unit", false)];

/// `/weather`.
#[component]
pub fn WeatherPage() -> impl IntoView {
    let query = use_query_map();
    let requested = move || {
        let q = query.read();
        (q.get("city"), q.get("unit"))
    };
    let weather = Resource::new(requested, |(city, unit)| get_weather(city, unit));
    loaded_page(weather, |view| view! { <WeatherBody view /> })
}

/// What `/weather` shows, for its link preview.
const WEATHER_ABOUT: &str = "The latest weather of each city and its history, in °C or °F.";

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
        public_url,
    } = view;
    let cities: Vec<String> = rows.iter().map(|r| r.city.clone()).collect();
    let empty = rows.is_empty();
    view! {
        <PagePreview page="Weather" site=title.clone() description=WEATHER_ABOUT public_url path="/weather".to_string() />
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
                <a href=other_unit data-testid="unit-other">{format!("Show {}", unit.other().symbol())}</a>
            </p>
            <DownloadLink href=csv label="Weather CSV" />
        </div>
        {selected.map(|city| view! { <CityChart city chart summary unit /> })}
        <WeatherTable rows unit />
    }
    .into_any()
}

/// One city's temperature history, drawn by the server, and its summary in words.
#[component]
fn CityChart(city: String, chart: String, summary: Option<String>, unit: Unit) -> impl IntoView {
    view! {
        <section class="chart-card" aria-label=format!("Temperature history of {city}")>
            <div class="chart compact" data-testid="weather-chart" role="img"
                aria-label=format!("{city} temperature in {}", unit.symbol())>
                <div class="chart-static" aria-hidden="true" inner_html=chart></div>
            </div>
            <p class="sr-summary" data-testid="weather-summary">{summary}</p>
        </section>
    }
}

/// The latest observation per city, in both units.
#[component]
fn WeatherTable(rows: Vec<CityRow>, unit: Unit) -> impl IntoView {
    view! {
        <section class="news" aria-labelledby="weather-caption">
            <table data-testid="weather-table" class="weather">
                <caption id="weather-caption">"Latest observation per city"</caption>
                <thead>
                    <tr>
                        <th scope="col">"City"</th>
                        <th scope="col">{format!("Temp. {}", unit.symbol())}</th>
                        <th scope="col">{format!("Temp. {}", unit.other().symbol())}</th>
                        <th scope="col">"Humidity"</th>
                        <th scope="col">"Conditions"</th>
                        <th scope="col">"Observed"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <CityRowView row /> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn CityRowView(row: CityRow) -> impl IntoView {
    let city = row.city.clone();
    view! {
        <tr data-city=city>
            <th scope="row"><a href=row.href>{row.city}</a></th>
            <td class="num" data-testid="temp">{row.temperature}</td>
            <td class="num">{row.other}</td>
            <td class="num">{row.humidity}</td>
            <td>{row.description}</td>
            <td>
                <time datetime=row.observed_iso title=row.observed_shown.clone()>
                    {row.observed_ago}
                </time>
                <span class="sub">{row.observed_shown}</span>
            </td>
        </tr>
    }
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
