-- Signed webhooks: a fleet's subscriptions, and one delivery per (subscription, event) that the
-- dispatchers of every fleet-api instance send, retry and log.
CREATE TABLE webhook_subscriptions (
    id                    uuid PRIMARY KEY,
    fleet_id              uuid        NOT NULL REFERENCES fleets (id) ON DELETE CASCADE,
    url                   text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    event_types           text[]      NOT NULL CHECK (cardinality(event_types) >= 1),
    -- null: every vehicle of the fleet
    vehicle_ids           uuid[],
    -- the signing secret, "aesgcm:" + base64(nonce || ciphertext) when the operator set a key,
    -- otherwise "plain:" + base64(key): it must be usable for signing, so it cannot be hashed
    secret                text        NOT NULL,
    -- the secret before the last rotation, still signed with until previous_secret_until
    previous_secret       text,
    previous_secret_until timestamptz,
    enabled               boolean     NOT NULL DEFAULT true,
    -- since when every delivery attempt has failed; null while the endpoint answers
    failing_since         timestamptz,
    disabled_at           timestamptz,
    disabled_reason       text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_fleet_id_idx ON webhook_subscriptions (fleet_id, id);

CREATE TABLE webhook_deliveries (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id   uuid        NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    -- vehicle_events.id: the feed position, also the message id the endpoint de-duplicates by
    event_id          bigint      NOT NULL,
    event_type        text        NOT NULL,
    vehicle_id        uuid,
    -- deliveries with the same key go out one after another, in event order: the vehicle, or
    -- the fleet for events that concern no vehicle
    ordering_key      uuid        NOT NULL,
    payload           text        NOT NULL,
    -- pending until sent with a 2xx answer (delivered) or given up (failed)
    status            text        NOT NULL DEFAULT 'pending'
                                  CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts          integer     NOT NULL DEFAULT 0,
    -- when a pending delivery is due; while an attempt is under way, when its lease runs out
    next_attempt_at   timestamptz,
    -- retries are given up this long after the delivery became due (created or replayed)
    due_since         timestamptz NOT NULL DEFAULT now(),
    last_attempt_at   timestamptz,
    last_status_code  integer,
    last_error        text,
    delivered_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_deliveries_subscription_event_key UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_ordering_idx
    ON webhook_deliveries (subscription_id, ordering_key, event_id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (subscription_id, id);

-- A fleet-level event (a webhook disabled) concerns no vehicle; every vehicle event still names one.
ALTER TABLE vehicle_events ALTER COLUMN vehicle_id DROP NOT NULL;
ALTER TABLE vehicle_events ADD CONSTRAINT vehicle_events_vehicle_id_check
    CHECK (vehicle_id IS NOT NULL OR type = 'webhook_disabled');
