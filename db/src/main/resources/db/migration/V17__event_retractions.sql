-- Routing recomputes a vehicle's trips and events when history arrives, also hours late; an event it
-- raised earlier that the recomputed history no longer implies is retracted: a new event of type
-- 'event_retracted' names it (details.retractedId), and retracted_by points from the retracted row
-- to that retraction. Both are written in the same transaction.
--
-- The same history may later imply the same event again (same event_key), which is then raised as a
-- new event. A retracted row therefore gives up its key: it is renamed to
-- '<key>#retracted-by:<retraction id>', so event_key stays unique among all rows (and every
-- ON CONFLICT (event_key) keeps working) while it identifies only events not retracted.
ALTER TABLE vehicle_events
    ADD COLUMN retracted_by bigint CONSTRAINT vehicle_events_retracted_by_fkey
        REFERENCES vehicle_events (id);
