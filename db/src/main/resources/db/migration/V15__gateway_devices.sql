-- Gateways: a device with protocol 'gateway' authenticates with a token like an http device and
-- uploads the pings of the http devices of its own fleet whose identifiers it lists in relays.
-- relays is null for every other protocol.
ALTER TABLE devices DROP CONSTRAINT devices_protocol_check;
ALTER TABLE devices
    ADD CONSTRAINT devices_protocol_check
        CHECK (protocol IN ('http', 'osmand', 'mqtt', 'teltonika', 'gateway'));
ALTER TABLE devices
    ADD COLUMN relays text[]
        CHECK (relays IS NULL OR (protocol = 'gateway' AND cardinality(relays) <= 1000));
