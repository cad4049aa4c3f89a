-- Stream analytics: the calendar day that daily summaries follow is the fleet's own (IANA zone id,
-- UTC unless set), one summary row per vehicle and day, and one status row per vehicle. Both are
-- written by analytics-service only, idempotently: a row is replaced only by a higher revision.

ALTER TABLE fleets ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'
    CHECK (length(time_zone) BETWEEN 1 AND 64);

CREATE TABLE vehicle_daily_summaries (
    vehicle_id               uuid             NOT NULL,
    day                      date             NOT NULL,
    fleet_id                 uuid             NOT NULL,
    -- the zone the day was counted in (the fleet's at the time)
    time_zone                text             NOT NULL,
    distance_m               double precision NOT NULL CHECK (distance_m >= 0),
    driving_s                double precision NOT NULL CHECK (driving_s >= 0),
    idle_s                   double precision NOT NULL CHECK (idle_s >= 0),
    max_speed_kmh            real,
    avg_speed_kmh            real,
    trip_count               integer          NOT NULL CHECK (trip_count >= 0),
    harsh_braking_count      integer          NOT NULL CHECK (harsh_braking_count >= 0),
    harsh_acceleration_count integer          NOT NULL CHECK (harsh_acceleration_count >= 0),
    harsh_cornering_count    integer          NOT NULL CHECK (harsh_cornering_count >= 0),
    sample_count             bigint           NOT NULL CHECK (sample_count >= 0),
    first_at                 timestamptz      NOT NULL,
    first_location           geometry(Point, 4326) NOT NULL,
    last_at                  timestamptz      NOT NULL,
    last_location            geometry(Point, 4326) NOT NULL,
    revision                 bigint           NOT NULL,
    updated_at               timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (vehicle_id, day)
);
-- A fleet's report of one day (or a range of days) walks this index.
CREATE INDEX vehicle_daily_summaries_fleet_day_idx ON vehicle_daily_summaries (fleet_id, day, vehicle_id);

CREATE TABLE vehicle_status (
    vehicle_id        uuid PRIMARY KEY,
    fleet_id          uuid        NOT NULL,
    online            boolean     NOT NULL,
    online_changed_at timestamptz NOT NULL,
    last_heard_at     timestamptz NOT NULL,
    idling            boolean     NOT NULL,
    idling_since      timestamptz,
    revision          bigint      NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vehicle_status_fleet_idx ON vehicle_status (fleet_id, vehicle_id);
