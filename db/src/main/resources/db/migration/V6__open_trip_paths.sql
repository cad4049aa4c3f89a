-- An open trip's path is exactly its vehicle's history from the trip's start to its end, and
-- routing-service would otherwise rewrite the whole, growing path in every batch. It is stored once
-- the trip is closed; readers take an open trip's path from positions.
ALTER TABLE trips ALTER COLUMN path DROP NOT NULL;
ALTER TABLE trips ADD CONSTRAINT trips_closed_path CHECK (open OR path IS NOT NULL);
