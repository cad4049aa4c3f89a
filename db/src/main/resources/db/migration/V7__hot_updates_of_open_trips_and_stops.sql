-- An open trip or stop is updated by every batch of its vehicle's pings, and its ended_at moves each
-- time. With ended_at in an index every such update wrote a new entry into each of the table's
-- indexes. Without it the update is HOT (no index entries) when the page has room, which the lower
-- fillfactor leaves. Readers find a time window through the unique (vehicle_id, started_at) index:
-- a vehicle's trips never overlap one another, nor do its stops, so the last row starting at or
-- before a time is the only earlier one that can reach past it.
DROP INDEX trips_vehicle_ended_idx;
DROP INDEX stops_vehicle_ended_idx;
ALTER TABLE trips SET (fillfactor = 80);
ALTER TABLE stops SET (fillfactor = 80);
