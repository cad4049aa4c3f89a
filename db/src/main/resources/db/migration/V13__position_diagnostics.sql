-- The vehicle's health as its tracker reported it with a position (supply and battery voltage,
-- battery level and charging, movement, GSM signal, fuel level, OBD fault codes), as the ping's
-- diagnostics object; NULL where the tracker reported none. One jsonb column rather than a column
-- per value: most pings carry none, and a NULL costs the history's COPY four bytes a row.
-- Adding a nullable column without a default rewrites no partition.
ALTER TABLE positions ADD COLUMN diagnostics jsonb;
ALTER TABLE latest_positions ADD COLUMN diagnostics jsonb;
