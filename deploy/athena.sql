-- Athena (Glue catalog) tables over the CSV the store functions write to
-- s3://<ExportBucket>/exports/source=<source>/date=YYYY-MM-DD/<source>-<time>.csv
-- (ingest/lambda/src/export.rs). Partition projection: no crawler, no MSCK REPAIR; a new
-- day's prefix is queryable as soon as its first file lands. Replace <ExportBucket>.

CREATE DATABASE IF NOT EXISTS tickerboard;

CREATE EXTERNAL TABLE IF NOT EXISTS tickerboard.weather_observations (
  city        string,
  city_id     bigint,
  observed_at string,   -- RFC 3339, UTC: from_iso8601_timestamp(observed_at)
  temp_c      double,
  temp_f      double,
  humidity    int,
  description string
)
PARTITIONED BY (source string, `date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
LOCATION 's3://<ExportBucket>/exports/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.source.type' = 'enum',
  'projection.source.values' = 'weather',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2024-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://<ExportBucket>/exports/source=${source}/date=${date}/'
);

-- Every store function exports what it stored (EXPORT_BUCKET in deploy/template.yaml).
-- The columns are the CSV's, in its order (ingest/lambda/src/export.rs tests that).
CREATE EXTERNAL TABLE IF NOT EXISTS tickerboard.daily_prices (
  symbol string,
  `day`  string,        -- the CSV column is "date"; renamed here to keep it apart from the partition
  open   double,
  high   double,
  low    double,
  close  double,
  volume double
)
PARTITIONED BY (source string, `date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
LOCATION 's3://<ExportBucket>/exports/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.source.type' = 'enum',
  'projection.source.values' = 'prices,crypto',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2024-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://<ExportBucket>/exports/source=${source}/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS tickerboard.headlines (
  url          string,
  coin         string,
  published_at string,  -- RFC 3339, UTC: from_iso8601_timestamp(published_at)
  title        string
)
PARTITIONED BY (source string, `date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
LOCATION 's3://<ExportBucket>/exports/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.source.type' = 'enum',
  'projection.source.values' = 'news',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2024-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://<ExportBucket>/exports/source=${source}/date=${date}/'
);

-- Example: the week's average temperature per city.
-- SELECT city, avg(temp_c) AS avg_c, avg(temp_f) AS avg_f
-- FROM tickerboard.weather_observations
-- WHERE "date" >= date_format(current_date - interval '7' day, '%Y-%m-%d')
-- GROUP BY city ORDER BY city;
