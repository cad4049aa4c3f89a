-- Radius queries now narrow by boxes around the circle on the geometry index
-- (latest_positions_location_idx) and test the exact distance on geography only for those rows, so
-- the expression index on location::geography served nothing and cost every upsert of a latest
-- position a second GiST update.
DROP INDEX IF EXISTS latest_positions_geography_idx;
