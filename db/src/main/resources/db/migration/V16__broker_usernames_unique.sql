-- An MQTT device and a gateway both log in to the broker with their identifier as username, so
-- one identifier may belong to only one of them, whichever fleet registers it. The API checks
-- before it inserts; this index refuses the one of two concurrent registrations that loses.
DO $$
DECLARE
    taken text;
BEGIN
    SELECT string_agg(identifier, ', ')
    INTO taken
    FROM (SELECT identifier
          FROM devices
          WHERE protocol IN ('mqtt', 'gateway')
          GROUP BY identifier
          HAVING count(*) > 1) shared;
    IF taken IS NOT NULL THEN
        RAISE EXCEPTION 'an mqtt device and a gateway share the broker username(s) %; '
            'delete one of each before upgrading', taken;
    END IF;
END
$$;
CREATE UNIQUE INDEX devices_broker_username_key
    ON devices (identifier)
    WHERE protocol IN ('mqtt', 'gateway');
