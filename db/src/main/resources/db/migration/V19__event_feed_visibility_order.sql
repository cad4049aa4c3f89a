-- Event ids come from a sequence when a row is inserted but become visible when its transaction
-- commits, and several writers store events concurrently (routing, analytics, fleet-api's notices).
-- A reader paging by id alone could read a higher id before a lower one commits, then page past it.
--
-- created_xid records the writing transaction (pg_current_xact_id()). The feed returns only rows
-- whose transaction precedes the oldest transaction still running (pg_snapshot_xmin of the current
-- snapshot), ordered by (created_xid, id): every transaction not yet finished has a transaction id at
-- least that old, so anything that becomes visible later sorts after everything already returned.
-- Rows stored before this column existed keep NULL, read as 0: visible and first.
--
-- The column is added without a default first, then given one, so existing rows are not rewritten.
ALTER TABLE vehicle_events ADD COLUMN created_xid xid8;
ALTER TABLE vehicle_events ALTER COLUMN created_xid SET DEFAULT pg_current_xact_id();

CREATE INDEX vehicle_events_feed_order
    ON vehicle_events (fleet_id, (COALESCE(created_xid, '0'::xid8)), id);

-- Reading an event's retraction, and deleting a retraction's row, look up retracted_by.
CREATE INDEX vehicle_events_retracted_by ON vehicle_events (retracted_by)
    WHERE retracted_by IS NOT NULL;
