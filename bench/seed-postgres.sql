-- Copied from the shared browser measurer (../shared/bench/), so the benchmarks here need nothing outside the repository.
-- Benchmark data for the measurer: 5 symbols x 5,000 weekdays of a random walk, ending 2025-12-31,
-- plus 500 headlines. Deterministic (setseed). Run on a database the server has already migrated:
--   psql "$DATABASE_URL" -f seed-postgres.sql
SELECT setseed(0.42);
DELETE FROM daily_prices WHERE source = 'bench';
DELETE FROM headlines WHERE source = 'bench';
WITH days AS (
  SELECT d::date AS date, row_number() OVER (ORDER BY d DESC) AS back
  FROM generate_series(date '2025-12-31' - 7100, date '2025-12-31', interval '1 day') d
  WHERE extract(isodow FROM d) < 6
), picked AS (SELECT date FROM days WHERE back <= 5000),
symbols(symbol, start, vol) AS (VALUES ('IBM', 60.0, 0.014), ('TSLA', 4.0, 0.035), ('AAPL', 3.0, 0.020),
                                       ('MSFT', 25.0, 0.016), ('BTC', 300.0, 0.040)),
steps AS (
  SELECT s.symbol, p.date, s.start, s.vol, (random() - 0.4995) * 2 * s.vol AS r, random() AS a, random() AS b
  FROM symbols s CROSS JOIN picked p
), walk AS (
  SELECT symbol, date, vol, a, b, start * exp(sum(r) OVER (PARTITION BY symbol ORDER BY date)) AS close,
         start * exp(sum(r) OVER (PARTITION BY symbol ORDER BY date) - r) AS open
  FROM steps
)
INSERT INTO daily_prices (symbol, date, open, high, low, close, volume, source)
SELECT symbol, date, round(open::numeric, 4), round((greatest(open, close) * (1 + a * vol))::numeric, 4),
       round((least(open, close) * (1 - b * vol))::numeric, 4), round(close::numeric, 4),
       floor(1e6 + a * 9e6), 'bench'
FROM walk
ON CONFLICT (symbol, date) DO NOTHING;
INSERT INTO headlines (url, coin, published_at, title, source)
SELECT 'https://news.example.com/' || c || '/' || g, c, timestamptz '2025-12-31 12:00Z' - g * interval '7 hours',
       'Headline ' || g || ' about ' || c, 'bench'
FROM generate_series(1, 500) g, LATERAL (SELECT (ARRAY['bitcoin','ethereum','solana'])[1 + g % 3] AS c) x
ON CONFLICT (url) DO NOTHING;
SELECT symbol, count(*) FROM daily_prices WHERE source = 'bench' GROUP BY symbol ORDER BY symbol;
