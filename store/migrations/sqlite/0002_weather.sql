-- See migrations/postgres/0002_weather.sql.
CREATE TABLE IF NOT EXISTS weather_observations (
    city        TEXT    NOT NULL,
    observed_at TEXT    NOT NULL,
    city_id     INTEGER NOT NULL,
    temp_c      REAL    NOT NULL,
    temp_f      REAL    NOT NULL,
    humidity    INTEGER NOT NULL,
    description TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (city, observed_at)
) WITHOUT ROWID;
