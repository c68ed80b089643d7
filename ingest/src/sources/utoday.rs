//! U.Today headlines for a coin: the listing page `/{coin}-news` first, its RSS feed
//! `/rss` when the listing yields nothing. Sites change: zero headlines from both is a
//! failure that names what was tried, never an empty success.

use super::{Parsed, SourceError};
use crate::http::{excerpt, BodyLimit, Http};
use crate::report::Rejection;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use scraper::{ElementRef, Html, Selector};
use std::time::Duration;
use store::Headline;
use url::Url;

const SERVICE: &str = "U.Today";
pub const CARD: &str = "div.category-item";
pub const LINK: &str = "a.category-item__title-link";
pub const TITLE: &str = "div.category-item__title";
pub const TIME: &str = "div.humble--time";
/// The card date, e.g. `03/28/2024 - 14:05`.
///
/// The one time-zone rule for headlines: every time is stored as a UTC instant. An RSS
/// `pubDate` states its offset and is converted from it; a listing card states none, so
/// it is the site's wall clock, read in `UTODAY_TIMEZONE` (an IANA zone, default UTC).
/// A wall time that does not exist there (skipped by a DST change) is a rejected card;
/// one that exists twice is the earlier instant.
const TIME_FORMAT: &str = "%m/%d/%Y - %H:%M";

pub struct UToday<'a> {
    pub http: &'a Http,
    pub base: &'a Url,
    /// The most bytes an answer may have.
    pub limit: BodyLimit,
    /// How long reading one page or feed may take.
    pub parse_budget: Duration,
    /// The zone the listing's wall-clock times are in (see [`TIME_FORMAT`]).
    pub timezone: Tz,
}

/// Deepest element nesting a listing page may have. Real pages nest a few dozen deep;
/// the HTML parser's work per start tag grows with the depth (the spec's "has an
/// element in scope" walks the stack of open elements), so a page nested tens of
/// thousands deep would take minutes. Such a page is refused before it is parsed.
pub const MAX_NESTING: usize = 1_000;

/// Where the headlines came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Listing,
    Rss,
}

impl UToday<'_> {
    pub fn listing_url(&self, coin: &str) -> Result<Url, SourceError> {
        self.base
            .join(&format!("{coin}-news"))
            .map_err(|e| SourceError::Unexpected {
                service: SERVICE,
                detail: format!("UTODAY_URL cannot take a path: {e}"),
            })
    }

    pub fn rss_url(&self) -> Result<Url, SourceError> {
        self.base.join("rss").map_err(|e| SourceError::Unexpected {
            service: SERVICE,
            detail: format!("UTODAY_URL cannot take a path: {e}"),
        })
    }

    /// Headlines for `coin` (`bitcoin`): two requests at most.
    pub async fn headlines(&self, coin: &str) -> Result<(Parsed<Headline>, Origin), SourceError> {
        let listing_url = self.listing_url(coin)?;
        let listing = self.http.get(&listing_url, self.limit).await;
        let mut tried = Vec::new();
        match listing {
            Ok(page) if page.status.is_success() => {
                let (url, owned_coin, zone) =
                    (listing_url.clone(), coin.to_string(), self.timezone);
                let read = move || parse_listing(&page.body, &url, &owned_coin, zone);
                match self.within_budget(&listing_url, read).await? {
                    Ok(parsed) if !parsed.rows.is_empty() => {
                        return Ok((parsed, Origin::Listing));
                    }
                    Ok(parsed) => tried.push(format!(
                        "{listing_url}: {} cards matched {CARD:?} ({} set aside), none with {LINK:?}, {TITLE:?} and a {TIME:?} date",
                        parsed.rows.len() + parsed.rejections.len(),
                        parsed.rejections.len()
                    )),
                    Err(refused) => tried.push(format!("{listing_url}: {refused}")),
                }
            }
            Ok(page) => tried.push(format!("{listing_url}: HTTP {}", page.status)),
            Err(e) => tried.push(e.to_string()),
        }

        let rss_url = self.rss_url()?;
        match self.http.get(&rss_url, self.limit).await {
            Ok(feed) if feed.status.is_success() => {
                let owned_coin = coin.to_string();
                let read = move || {
                    parse_rss(&feed.body, &owned_coin)
                        .map_err(|e| format!("{e}: {}", excerpt(&feed.body)))
                };
                match self.within_budget(&rss_url, read).await? {
                    Ok(parsed) if !parsed.rows.is_empty() => return Ok((parsed, Origin::Rss)),
                    Ok(parsed) => tried.push(format!(
                        "{rss_url}: {} items, none about {coin:?} with a title, link and pubDate",
                        parsed.rejections.len()
                    )),
                    Err(e) => tried.push(format!("{rss_url}: {e}")),
                }
            }
            Ok(feed) => tried.push(format!("{rss_url}: HTTP {}", feed.status)),
            Err(e) => tried.push(e.to_string()),
        }
        Err(SourceError::NothingFound(format!(
            "{SERVICE} gave no headlines for {coin:?}; the page layout may have changed. Tried: {}",
            tried.join("; ")
        )))
    }
}

impl UToday<'_> {
    /// Runs `read` on a blocking thread under the parse budget. Past the budget the run
    /// fails with the reason; the thread finishes on its own, its work bounded by the
    /// body limit and [`MAX_NESTING`].
    async fn within_budget<T: Send + 'static>(
        &self,
        url: &Url,
        read: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, SourceError> {
        match tokio::time::timeout(self.parse_budget, tokio::task::spawn_blocking(read)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panicked)) => Err(SourceError::Unexpected {
                service: SERVICE,
                detail: format!("reading {url} failed: {panicked}"),
            }),
            Err(_) => Err(SourceError::Unexpected {
                service: SERVICE,
                detail: format!(
                    "reading {url} took longer than {:?}, the budget INGEST_PARSE_BUDGET_SECS sets",
                    self.parse_budget
                ),
            }),
        }
    }
}

/// Reads the cards of a listing page. Cards that cannot become a headline (no link,
/// no title, no or an unreadable date: sponsored and promo cards) are set aside with
/// their reason; relative links are made absolute against the page URL. A page nested
/// deeper than [`MAX_NESTING`] is refused unread.
pub fn parse_listing(
    html: &str,
    page_url: &Url,
    coin: &str,
    zone: Tz,
) -> Result<Parsed<Headline>, String> {
    let depth = nesting_depth(html, MAX_NESTING);
    if depth > MAX_NESTING {
        return Err(format!(
            "the page nests elements more than {MAX_NESTING} deep; a listing page does not"
        ));
    }
    let doc = Html::parse_document(html);
    let card = Selector::parse(CARD).expect("valid selector");
    let link = Selector::parse(LINK).expect("valid selector");
    let title = Selector::parse(TITLE).expect("valid selector");
    let time = Selector::parse(TIME).expect("valid selector");

    let mut parsed = Parsed::default();
    for (i, el) in doc.select(&card).enumerate() {
        let title_text = el
            .select(&title)
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty())
            .or_else(|| {
                el.select(&link)
                    .next()
                    .map(text_of)
                    .filter(|t| !t.is_empty())
            });
        let href = el.select(&link).next().and_then(|a| a.value().attr("href"));
        let key = href
            .map(str::to_string)
            .or(title_text.clone())
            .unwrap_or_else(|| format!("card {}", i + 1));
        let Some(href) = href else {
            parsed
                .rejections
                .push(Rejection::new(key, "card has no article link"));
            continue;
        };
        let Ok(url) = page_url.join(href.trim()) else {
            parsed
                .rejections
                .push(Rejection::new(key, format!("link {href:?} is not a URL")));
            continue;
        };
        let Some(title_text) = title_text else {
            parsed
                .rejections
                .push(Rejection::new(key, "card has no title"));
            continue;
        };
        let Some(when) = el
            .select(&time)
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty())
        else {
            parsed.rejections.push(Rejection::new(
                key,
                "card has no date (sponsored or promo card?)",
            ));
            continue;
        };
        let Ok(wall) = NaiveDateTime::parse_from_str(&when, TIME_FORMAT) else {
            parsed.rejections.push(Rejection::new(
                key,
                format!("date {when:?} is not MM/DD/YYYY - HH:MM"),
            ));
            continue;
        };
        match zone.from_local_datetime(&wall).earliest() {
            Some(t) => parsed.rows.push(Headline {
                url: url.to_string(),
                coin: coin.to_string(),
                published_at: t.with_timezone(&Utc),
                title: title_text,
            }),
            None => parsed.rejections.push(Rejection::new(
                key,
                format!("{when:?} does not exist in {zone} (a daylight-saving change skips it)"),
            )),
        }
    }
    Ok(parsed)
}

/// Elements that never stay open (void) or that the parser closes by itself when a
/// sibling starts: neither deepens the stack for long.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
    "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body",
];

/// How deep the page's elements nest, counted from its tags alone in one linear pass
/// (comments, doctypes and the text of `script` and `style` skipped); stops counting
/// once past `stop_above`. An estimate: a page with unclosed elements counts deeper
/// than the parser would build it, never shallower.
pub fn nesting_depth(html: &str, stop_above: usize) -> usize {
    let bytes = html.as_bytes();
    let (mut i, mut depth, mut deepest) = (0, 0usize, 0usize);
    let find = |from: usize, needle: &[u8]| {
        bytes[from.min(bytes.len())..]
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|at| from + at + needle.len())
            .unwrap_or(bytes.len())
    };
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'!') if bytes[i..].starts_with(b"<!--") => i = find(i + 4, b"-->"),
            Some(b'!') | Some(b'?') => i = find(i + 1, b">"),
            Some(b'/') => {
                depth = depth.saturating_sub(1);
                i = find(i + 2, b">");
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = bytes[i + 1..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
                    .map_or(bytes.len(), |n| i + 1 + n);
                let name = html[i + 1..name_end].to_ascii_lowercase();
                let tag_end = find(name_end, b">");
                let self_closing = tag_end >= 2 && bytes[tag_end - 2] == b'/';
                i = tag_end;
                if name == "script" || name == "style" {
                    i = find(i, format!("</{name}").as_bytes());
                } else if !self_closing && !NOT_NESTING.contains(&name.as_str()) {
                    depth += 1;
                    deepest = deepest.max(depth);
                    if deepest > stop_above {
                        return deepest;
                    }
                }
            }
            _ => i += 1,
        }
    }
    deepest
}

/// Reads the RSS feed, keeping items about `coin` (its name in the title, link or a
/// category). Items without a title, link or readable pubDate are set aside.
pub fn parse_rss(xml: &str, coin: &str) -> Result<Parsed<Headline>, rss::Error> {
    let channel = rss::Channel::read_from(xml.as_bytes())?;
    let needle = coin.to_ascii_lowercase();
    let mut parsed = Parsed::default();
    for item in channel.items() {
        let about_coin = item
            .title()
            .is_some_and(|t| t.to_ascii_lowercase().contains(&needle))
            || item
                .link()
                .is_some_and(|l| l.to_ascii_lowercase().contains(&needle))
            || item
                .categories()
                .iter()
                .any(|c| c.name().to_ascii_lowercase().contains(&needle));
        let key = item
            .link()
            .or(item.title())
            .unwrap_or("rss item")
            .to_string();
        if !about_coin {
            parsed
                .rejections
                .push(Rejection::new(key, format!("not about {coin}")));
            continue;
        }
        let (Some(title), Some(link)) = (item.title(), item.link()) else {
            parsed
                .rejections
                .push(Rejection::new(key, "item has no title or link"));
            continue;
        };
        let Some(published) = item
            .pub_date()
            .and_then(|d| DateTime::parse_from_rfc2822(d.trim()).ok())
        else {
            parsed.rejections.push(Rejection::new(
                key,
                format!("pubDate {:?} is not an RFC 822 date", item.pub_date()),
            ));
            continue;
        };
        parsed.rows.push(Headline {
            url: link.trim().to_string(),
            coin: coin.to_string(),
            published_at: published.with_timezone(&Utc),
            title: collapse(title),
        });
    }
    Ok(parsed)
}

fn text_of(el: ElementRef<'_>) -> String {
    collapse(&el.text().collect::<String>())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
