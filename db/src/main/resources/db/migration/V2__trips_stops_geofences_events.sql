-- Derived and alerting data: trips and stops (recomputed from history, so keyed by their start),
-- geofences per fleet, and the vehicle event feed (idempotent by event_key, cursor = id).

CREATE TABLE trips (
    id             uuid PRIMARY KEY,
    vehicle_id     uuid                       NOT NULL,
    fleet_id       uuid                       NOT NULL,
    started_at     timestamptz                NOT NULL,
    ended_at       timestamptz                NOT NULL,
    start_location geometry(Point, 4326)      NOT NULL,
    end_location   geometry(Point, 4326)      NOT NULL,
    distance_m     double precision           NOT NULL CHECK (distance_m >= 0),
    duration_s     double precision           NOT NULL CHECK (duration_s >= 0),
    max_speed_kmh  real,
    avg_speed_kmh  real,
    path           geometry(LineString, 4326) NOT NULL,
    point_count    integer                    NOT NULL,
    -- true while the vehicle may still be driving it (no parking or data gap seen after it yet)
    open           boolean                    NOT NULL DEFAULT false,
    updated_at     timestamptz                NOT NULL DEFAULT now(),
    CONSTRAINT trips_vehicle_start_key UNIQUE (vehicle_id, started_at),
    CHECK (ended_at >= started_at)
);
CREATE INDEX trips_vehicle_ended_idx ON trips (vehicle_id, ended_at);
CREATE INDEX trips_fleet_started_idx ON trips (fleet_id, started_at);

CREATE TABLE stops (
    id         uuid PRIMARY KEY,
    vehicle_id uuid                  NOT NULL,
    fleet_id   uuid                  NOT NULL,
    started_at timestamptz           NOT NULL,
    ended_at   timestamptz           NOT NULL,
    location   geometry(Point, 4326) NOT NULL,
    duration_s double precision      NOT NULL CHECK (duration_s >= 0),
    open       boolean               NOT NULL DEFAULT false,
    updated_at timestamptz           NOT NULL DEFAULT now(),
    CONSTRAINT stops_vehicle_start_key UNIQUE (vehicle_id, started_at),
    CHECK (ended_at >= started_at)
);
CREATE INDEX stops_vehicle_ended_idx ON stops (vehicle_id, ended_at);

-- A polygon, or a circle (center + radius_m) whose area is its polygon approximation, so that one
-- spatial index and one containment test serve both.
CREATE TABLE geofences (
    id              uuid PRIMARY KEY,
    fleet_id        uuid                    NOT NULL REFERENCES fleets (id),
    name            text                    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    area            geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(area)),
    center          geometry(Point, 4326),
    radius_m        double precision CHECK (radius_m > 0),
    speed_limit_kmh real CHECK (speed_limit_kmh > 0),
    dwell_s         integer                 NOT NULL DEFAULT 0 CHECK (dwell_s >= 0),
    created_at      timestamptz             NOT NULL DEFAULT now(),
    updated_at      timestamptz             NOT NULL DEFAULT now(),
    CHECK ((center IS NULL) = (radius_m IS NULL))
);
CREATE INDEX geofences_fleet_id_idx ON geofences (fleet_id, id);
CREATE INDEX geofences_area_idx ON geofences USING gist (area);

CREATE TABLE vehicle_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- deterministic per event (e.g. type, vehicle, geofence, time), so a recomputation or a
    -- redelivered batch cannot raise the same event twice
    event_key   text                  NOT NULL CONSTRAINT vehicle_events_event_key_key UNIQUE,
    fleet_id    uuid                  NOT NULL,
    vehicle_id  uuid                  NOT NULL,
    type        text                  NOT NULL CHECK (type IN ('trip_started', 'trip_ended', 'stop',
                                                               'geofence_entered', 'geofence_exited',
                                                               'overspeed')),
    occurred_at timestamptz           NOT NULL,
    location    geometry(Point, 4326),
    details     jsonb                 NOT NULL DEFAULT '{}',
    created_at  timestamptz           NOT NULL DEFAULT now()
);
-- The feed is read per fleet in id order after a cursor.
CREATE INDEX vehicle_events_fleet_id_idx ON vehicle_events (fleet_id, id);
CREATE INDEX vehicle_events_vehicle_time_idx ON vehicle_events (vehicle_id, occurred_at);
