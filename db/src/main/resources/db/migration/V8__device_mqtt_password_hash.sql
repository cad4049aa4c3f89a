-- The Mosquitto password-file hash ($7$: PBKDF2-HMAC-SHA512) of an MQTT device's token, computed
-- when the token is issued; ingest writes it into the broker's password file. Null for other
-- protocols and for MQTT devices registered before devices had to log in (rotate their token).
ALTER TABLE devices
    ADD COLUMN mqtt_password_hash text
        CHECK (mqtt_password_hash ~ '^\$7\$[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$');
