//! Every page's chrome, the same on `/`, `/weather` and `/runs`: the `<main>` landmark
//! with the page in it once its data has loaded (or the error panel), the header with
//! the document title, the freshness line and the notice about bad parameters, the
//! canonical link and the download links.

use crate::error::AppError;
use crate::freshness::{Freshness, SourceLine};
use leptos::prelude::*;

/// Every page's frame: its body once `data` has loaded, or the error panel, inside the
/// page's `<main>` landmark.
pub fn loaded_page<T, V>(
    data: Resource<Result<T, AppError>>,
    body: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <main class="page">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || {
                    let body = body.clone();
                    Suspend::new(async move {
                        match data.await {
                            Ok(d) => body(d).into_any(),
                            Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}

#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    view! {
        <div class="error-panel" role="alert" data-testid="error-panel">
            <h1>"The dashboard cannot load right now"</h1>
            <p>{error.to_string()}</p>
            <p><a href="">"Try again"</a></p>
        </div>
    }
}

/// Any path that is no page (the server answers it with 404).
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="page">
            <div class="error-panel" role="alert">
                <h1>"Page not found"</h1>
                <p><a href="/">"Back to the prices"</a></p>
            </div>
        </main>
    }
}

/// The top of every page: the document title (`page · site`, or the site alone), the
/// heading, the freshness line, and the notice about a bad parameter, if any.
#[component]
pub fn PageHeader(
    site: String,
    /// `None` on `/`, whose heading is the site's title.
    page: Option<&'static str>,
    freshness: Vec<SourceLine>,
    notice: Option<String>,
) -> impl IntoView {
    let (title, heading) = match page {
        Some(page) => (format!("{page} · {site}"), page.to_string()),
        None => (site.clone(), site),
    };
    view! {
        <DocumentTitle text=title />
        <header class="top">
            <h1>{heading}</h1>
            <Freshness lines=freshness />
        </header>
        {notice.map(|text| view! { <Notice text /> })}
    }
}

/// The document's title, written into the head by leptos_meta. Pages render on the
/// server only; after an in-place navigation `public/nav.js` copies the new page's
/// title.
#[component]
pub fn DocumentTitle(text: String) -> impl IntoView {
    view! { <leptos_meta::Title text /> }
}

/// The page's `<link rel="canonical">`: the URL in its short form (defaults left out,
/// values the server dropped gone). `public/nav.js` shows it in the address bar.
#[component]
pub fn CanonicalLink(href: Option<String>) -> impl IntoView {
    href.map(|href| view! { <leptos_meta::Link rel="canonical" href /> })
}

/// What a shared link to the page previews (Open Graph and Twitter cards): its title,
/// its description, and, when the public base URL is set (`public_url`), the page's
/// absolute URL and its picture's (a chart's `/chart.png`). Never built from the
/// request's `Host`: a page kept in memory must not carry a client's header.
#[component]
pub fn PreviewMeta(
    title: String,
    description: String,
    public_url: Option<String>,
    /// The page's path and query (its canonical form), and its picture's.
    path: Option<String>,
    image: String,
) -> impl IntoView {
    use leptos_meta::Meta;
    let absolute = |p: &str| public_url.as_ref().map(|base| format!("{base}{p}"));
    let url = path.as_deref().and_then(absolute);
    let image = absolute(&image);
    view! {
        <Meta name="description" content=description.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content="tickerboard" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description />
        {url.map(|url| view! { <Meta property="og:url" content=url /> })}
        {image.map(|image| view! {
            <Meta property="og:image" content=image.clone() />
            <Meta property="og:image:width" content="1200" />
            <Meta property="og:image:height" content="630" />
            <Meta name="twitter:image" content=image />
        })}
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=title />
    }
}

/// The link preview of a page other than `/`: "Runs · tickerboard", what it shows,
/// the picture of the default chart.
#[component]
pub fn PagePreview(
    page: &'static str,
    site: String,
    description: &'static str,
    public_url: Option<String>,
    path: String,
) -> impl IntoView {
    view! {
        <PreviewMeta
            title=format!("{page} · {site}")
            description=description.to_string()
            public_url
            path=Some(path)
            image="/chart.png".to_string()
        />
    }
}

/// The picture of the chart a page's URL shows: `/chart.png` with the query of `href`
/// (a `/` URL).
pub fn picture_of(href: &str) -> String {
    format!("/chart.png{}", href.strip_prefix('/').unwrap_or(""))
}

/// Why a parameter of the URL was not taken, in words for the reader.
#[component]
pub fn Notice(text: String) -> impl IntoView {
    view! { <p class="notice" role="alert" data-testid="notice">{text}</p> }
}

/// A CSV download. `download` and `rel="external"` keep the router's hands off it.
#[component]
pub fn DownloadLink(href: String, label: &'static str) -> impl IntoView {
    view! {
        <a class="download" data-testid="download-csv" href=href download="" rel="external">
            {label}
        </a>
    }
}
