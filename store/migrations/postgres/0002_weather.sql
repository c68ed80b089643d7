-- Current weather per city, as OpenWeatherMap reports it every ten minutes. The key is
-- the city and the time the API says it observed the values (`dt`), so fetching twice
-- within those ten minutes writes one row.
CREATE TABLE IF NOT EXISTS weather_observations (
    city        TEXT             NOT NULL,
    observed_at TIMESTAMPTZ      NOT NULL,
    -- OpenWeatherMap's own city id.
    city_id     BIGINT           NOT NULL,
    temp_c      DOUBLE PRECISION NOT NULL,
    -- Converted by us from temp_c, kept so reports need no arithmetic.
    temp_f      DOUBLE PRECISION NOT NULL,
    humidity    INTEGER          NOT NULL,
    description TEXT             NOT NULL,
    source      TEXT             NOT NULL,
    updated_at  TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (city, observed_at)
);
