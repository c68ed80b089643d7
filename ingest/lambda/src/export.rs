//! Stored batches as CSV in S3, laid out for Athena with partition projection:
//! `s3://BUCKET/PREFIX/source=<source>/date=YYYY-MM-DD/<source>-<fetched at>.csv`
//! (see `deploy/athena.sql`).

use chrono::{DateTime, Utc};
use ingest::Rows;

/// The object key for a batch.
pub fn object_key(prefix: &str, source: &str, fetched_at: DateTime<Utc>) -> String {
    format!(
        "{}/source={source}/date={}/{source}-{}.csv",
        prefix.trim_matches('/'),
        fetched_at.format("%Y-%m-%d"),
        fetched_at.format("%Y%m%dT%H%M%SZ")
    )
}

/// The rows as CSV with a header line; the columns match `deploy/athena.sql`.
pub fn csv(rows: &Rows) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    match rows {
        Rows::Bars(v) => v.iter().try_for_each(|r| w.serialize(r))?,
        Rows::Headlines(v) => v.iter().try_for_each(|r| w.serialize(r))?,
        Rows::Weather(v) => v.iter().try_for_each(|r| w.serialize(r))?,
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Writes one CSV object.
pub async fn put(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    body: Vec<u8>,
) -> Result<(), String> {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .content_type("text/csv")
        .body(body.into())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            format!(
                "writing s3://{bucket}/{key}: {}",
                aws_sdk_s3::error::DisplayErrorContext(e)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use store::WeatherObservation;

    #[test]
    fn keys_are_partitioned_by_source_and_date() {
        let at = Utc.with_ymd_and_hms(2024, 3, 28, 21, 30, 5).unwrap();
        assert_eq!(
            object_key("/exports/", "weather", at),
            "exports/source=weather/date=2024-03-28/weather-20240328T213005Z.csv"
        );
    }

    /// The columns of `tickerboard.<table>` in deploy/athena.sql, in order.
    fn athena_columns(table: &str) -> Vec<String> {
        let ddl = include_str!("../../../deploy/athena.sql");
        let body = ddl
            .split(&format!("tickerboard.{table} ("))
            .nth(1)
            .and_then(|rest| rest.split("\n)").next())
            .unwrap_or_else(|| panic!("no table {table} in athena.sql"));
        body.lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(|c| c.trim_matches('`').to_string())
            .collect()
    }

    /// Each table's CSV, read back by a CSV parser: the header is the Athena table's
    /// columns (the prices `date` column is `day` there, apart from the partition), and
    /// text with commas, quotes and line breaks comes back as it went in.
    #[test]
    fn every_export_reads_back_as_its_athena_table() {
        let at = Utc.with_ymd_and_hms(2024, 3, 28, 7, 5, 0).unwrap();
        let tricky = "Bitcoin \"breaks\" $70,000,\nthen dips".to_string();
        let bars = Rows::Bars(vec![store::DailyBar {
            symbol: store::Symbol::parse("IBM").unwrap(),
            date: at.date_naive(),
            open: 1.5,
            high: 2.0,
            low: 1.0,
            close: 1.75,
            volume: 1000.0,
        }]);
        let news = Rows::Headlines(vec![store::Headline {
            url: "https://u.today/a?b=1,2".into(),
            coin: "bitcoin".into(),
            published_at: at,
            title: tricky.clone(),
        }]);
        let weather = Rows::Weather(vec![WeatherObservation {
            city: "New York, NY".into(),
            city_id: 5128581,
            observed_at: at,
            temp_c: -3.5,
            temp_f: 25.7,
            humidity: 40,
            description: "light \"snow\"".into(),
        }]);
        for (table, rows, expected) in [
            (
                "daily_prices",
                bars,
                vec!["IBM", "2024-03-28", "1.5", "2.0", "1.0", "1.75", "1000.0"],
            ),
            (
                "headlines",
                news,
                vec![
                    "https://u.today/a?b=1,2",
                    "bitcoin",
                    "2024-03-28T07:05:00Z",
                    tricky.as_str(),
                ],
            ),
            (
                "weather_observations",
                weather,
                vec![
                    "New York, NY",
                    "5128581",
                    "2024-03-28T07:05:00Z",
                    "-3.5",
                    "25.7",
                    "40",
                    "light \"snow\"",
                ],
            ),
        ] {
            let bytes = csv(&rows).unwrap();
            let mut reader = ::csv::Reader::from_reader(&bytes[..]);
            let header: Vec<String> = reader
                .headers()
                .unwrap()
                .iter()
                .map(str::to_string)
                .collect();
            let columns: Vec<String> = athena_columns(table)
                .into_iter()
                .map(|c| if c == "day" { "date".to_string() } else { c })
                .collect();
            assert_eq!(header, columns, "{table}");
            let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(records.len(), 1, "{table}");
            assert_eq!(records[0].iter().collect::<Vec<_>>(), expected, "{table}");
        }
    }

    #[test]
    fn weather_csv_has_the_athena_columns() {
        let rows = Rows::Weather(vec![WeatherObservation {
            city: "London".into(),
            city_id: 2643743,
            observed_at: Utc.with_ymd_and_hms(2019, 4, 28, 9, 35, 55).unwrap(),
            temp_c: 8.94,
            temp_f: 48.09,
            humidity: 90,
            description: "overcast clouds".into(),
        }]);
        let text = String::from_utf8(csv(&rows).unwrap()).unwrap();
        assert_eq!(
            text,
            "city,city_id,observed_at,temp_c,temp_f,humidity,description\nLondon,2643743,2019-04-28T09:35:55Z,8.94,48.09,90,overcast clouds\n"
        );
    }
}
