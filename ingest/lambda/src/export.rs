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
