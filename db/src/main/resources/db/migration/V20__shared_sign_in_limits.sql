-- The console's sign-in limits (wrong passwords per account and per source address, new sign-in
-- sessions per source address), counted here so that every fleet-api instance sees the same counts
-- and the limits hold however a load balancer spreads the attempts.
--
-- One row per counted key: a bucket of `limit` attempts per window that refills evenly. clear_at
-- is the moment at which the attempts counted so far will have drained away; an attempt moves it
-- one step (window / limit) later, and the bucket is full while clear_at lies more than a window
-- ahead. fleet-api moves it with one INSERT ... ON CONFLICT DO UPDATE, so instances counting the
-- same key at once wait for each other's row lock instead of losing a count.
CREATE TABLE sign_in_limits (
    kind     text         NOT NULL CHECK (kind IN ('failed_sign_in_account',
                                                   'failed_sign_in_address',
                                                   'new_sign_in_session_address')),
    -- a source address as fleet-api counts it (IPv6 by /64), or "sha256:" and the hex SHA-256 of
    -- an account's email or of an address too long or too odd to keep as it is
    key      varchar(100) NOT NULL,
    clear_at timestamptz  NOT NULL,
    PRIMARY KEY (kind, key)
);

-- fleet-api deletes the rows that have drained, a bounded number at a time, by this index.
CREATE INDEX sign_in_limits_clear_at_idx ON sign_in_limits (clear_at);
