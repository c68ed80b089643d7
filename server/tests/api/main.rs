//! The server's integration tests, one binary: the page and the API over real HTTP
//! (`http`), the whole data path from ingest to page (`ingest_to_page`), and the real
//! binary at start (`startup`), the read-only role (`read_only`), time and concurrency
//! limits (`limits`), the binary as a Lambda function (`lambda`), pages from memory (`page_cache`) and the binary's memory under a flood of URLs (`memory`), the CSV files (`downloads`), `/weather`, `/runs`, search and staleness (`pages`), every chart parameter of the
//! URL (`chart_view`), the overview of every symbol (`markets`), the chart as a picture (`picture`), link previews (`previews`). `helpers` starts an app the way the binary does.

mod chart_view;
mod downloads;
mod helpers;
mod http;
mod ingest_to_page;
// The binary as a Lambda function needs the runtime built in (scripts/test.sh does).
#[cfg(feature = "lambda")]
mod lambda;
mod limits;
mod live;
mod markets;
mod memory;
mod page_cache;
mod pages;
mod picture;
mod previews;
mod read_only;
mod startup;
