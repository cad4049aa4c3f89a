-- The console's sign-in sessions, shared by every fleet-api instance so that a browser may reach
-- any of them between the authorization endpoint, the sign-in form and the code: the form's CSRF
-- token, the authorization request waiting for the password, then who signed in. The layout is
-- the one Spring Session's JDBC store reads and writes (times in milliseconds since the epoch, the
-- idle limit in seconds); fleet-api deletes the expired rows itself.
CREATE TABLE console_sessions (
    primary_id            char(36)     PRIMARY KEY,
    -- the id the browser's cookie carries; replaced at sign-in, the primary id stays
    session_id            char(36)     NOT NULL,
    creation_time         bigint       NOT NULL,
    last_access_time      bigint       NOT NULL,
    max_inactive_interval integer      NOT NULL,
    expiry_time           bigint       NOT NULL,
    principal_name        varchar(100)
);
CREATE UNIQUE INDEX console_sessions_session_id_key ON console_sessions (session_id);
-- the cleanup deletes by expiry
CREATE INDEX console_sessions_expiry_time_idx ON console_sessions (expiry_time);
CREATE INDEX console_sessions_principal_name_idx ON console_sessions (principal_name);

-- Each value of a session, serialized; deleted with its session.
CREATE TABLE console_sessions_attributes (
    session_primary_id char(36)     NOT NULL
        REFERENCES console_sessions (primary_id) ON DELETE CASCADE,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea        NOT NULL,
    PRIMARY KEY (session_primary_id, attribute_name)
);
