-- Events are published to Kafka after the transaction that stored them commits; published_at marks
-- the ones Kafka has acknowledged, so a crash in between is repaired by republishing the rest.
ALTER TABLE vehicle_events ADD COLUMN published_at timestamptz;
-- Rows stored before this column existed count as published.
UPDATE vehicle_events SET published_at = created_at;
CREATE INDEX vehicle_events_unpublished_idx ON vehicle_events (id) WHERE published_at IS NULL;
