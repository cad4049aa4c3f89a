-- Fleetline schema v1: registry (fleets, vehicles, devices, API clients), position history and
-- latest positions. Append-only: later changes go into new versioned scripts.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE fleets (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vehicles (
    id         uuid PRIMARY KEY,
    fleet_id   uuid        NOT NULL REFERENCES fleets (id),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    vin        text CHECK (length(vin) <= 17),
    plate      text CHECK (length(plate) <= 20),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- Keyset pagination of a fleet's vehicles walks this index.
CREATE INDEX vehicles_fleet_id_idx ON vehicles (fleet_id, id);
CREATE UNIQUE INDEX vehicles_fleet_vin_key ON vehicles (fleet_id, vin) WHERE vin IS NOT NULL;

CREATE TABLE devices (
    id           uuid PRIMARY KEY,
    vehicle_id   uuid        NOT NULL REFERENCES vehicles (id) ON DELETE CASCADE,
    fleet_id     uuid        NOT NULL REFERENCES fleets (id),
    protocol     text        NOT NULL CHECK (protocol IN ('http', 'osmand', 'mqtt', 'teltonika')),
    identifier   text        NOT NULL CHECK (length(identifier) BETWEEN 1 AND 100),
    -- SHA-256 (hex) of the device's bearer token; only token-authenticated protocols have one.
    token_sha256 text CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    enabled      boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT devices_protocol_identifier_key UNIQUE (protocol, identifier)
);
CREATE INDEX devices_vehicle_id_idx ON devices (vehicle_id);

-- OAuth2 clients of the embedded authorization server. fleet_id is null for platform administrators.
CREATE TABLE api_clients (
    id          uuid PRIMARY KEY,
    client_id   text        NOT NULL UNIQUE CHECK (length(client_id) BETWEEN 1 AND 100),
    secret_hash text        NOT NULL,
    name        text        NOT NULL,
    fleet_id    uuid REFERENCES fleets (id),
    scopes      text[]      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_clients_fleet_id_idx ON api_clients (fleet_id);

-- Full history, partitioned by event time. The primary key makes redelivered pings harmless.
CREATE TABLE positions (
    vehicle_id  uuid                  NOT NULL,
    recorded_at timestamptz           NOT NULL,
    fleet_id    uuid                  NOT NULL,
    received_at timestamptz           NOT NULL,
    stored_at   timestamptz           NOT NULL,
    location    geometry(Point, 4326) NOT NULL,
    speed_kmh   real,
    heading_deg real,
    altitude_m  real,
    accuracy_m  real,
    odometer_km double precision,
    ignition    boolean,
    protocol    text                  NOT NULL,
    attributes  jsonb,
    PRIMARY KEY (vehicle_id, recorded_at)
) PARTITION BY RANGE (recorded_at);

-- Creates the daily partition of positions that holds the given UTC day, if missing. Serialised by
-- an advisory lock so that several routing instances can call it at once.
CREATE FUNCTION fleetline_ensure_positions_partition(day date) RETURNS text
    LANGUAGE plpgsql AS
$$
DECLARE
    partition_name text := 'positions_' || to_char(day, 'YYYYMMDD');
BEGIN
    IF to_regclass(partition_name) IS NOT NULL THEN
        RETURN partition_name;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('fleetline.positions.partitions'));
    IF to_regclass(partition_name) IS NULL THEN
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF positions FOR VALUES FROM (%L) TO (%L)',
            partition_name,
            to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00',
            to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
    END IF;
    RETURN partition_name;
END;
$$;

-- One row per vehicle; moved only by a ping with a newer recorded_at.
CREATE TABLE latest_positions (
    vehicle_id  uuid PRIMARY KEY,
    fleet_id    uuid                  NOT NULL,
    recorded_at timestamptz           NOT NULL,
    received_at timestamptz           NOT NULL,
    stored_at   timestamptz           NOT NULL,
    location    geometry(Point, 4326) NOT NULL,
    speed_kmh   real,
    heading_deg real,
    altitude_m  real,
    accuracy_m  real,
    odometer_km double precision,
    ignition    boolean,
    protocol    text                  NOT NULL,
    attributes  jsonb
);
CREATE INDEX latest_positions_fleet_id_idx ON latest_positions (fleet_id);
-- Bounding-box queries use the geometry index, radius queries (metres) the geography one.
CREATE INDEX latest_positions_location_idx ON latest_positions USING gist (location);
CREATE INDEX latest_positions_geography_idx ON latest_positions USING gist ((location::geography));
