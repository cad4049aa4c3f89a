-- People of a fleet who sign in to the web console. The email is unique whatever its case; the
-- password is stored only as an Argon2id hash.
CREATE TABLE fleet_users (
    id                  uuid PRIMARY KEY,
    fleet_id            uuid        NOT NULL REFERENCES fleets (id) ON DELETE CASCADE,
    email               text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    display_name        text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    password_hash       text        NOT NULL,
    role                text        NOT NULL CHECK (role IN ('viewer', 'manager', 'fleet_admin')),
    enabled             boolean     NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    last_signed_in_at   timestamptz,
    -- tokens issued to the person up to this time are refused (disabled, role or password changed)
    tokens_revoked_at   timestamptz
);
CREATE UNIQUE INDEX fleet_users_email_key ON fleet_users (lower(email));
CREATE INDEX fleet_users_fleet_id_idx ON fleet_users (fleet_id, created_at, id);

-- The authorization server's record of a console sign-in (the library's JDBC schema, in
-- PostgreSQL types): its authorization code, then its access and refresh tokens. Token values are
-- stored as SHA-256 hashes, never as issued. Client-credentials tokens are not recorded here.
CREATE TABLE oauth2_authorization (
    id                            varchar(100)  NOT NULL PRIMARY KEY,
    registered_client_id          varchar(100)  NOT NULL,
    principal_name                varchar(200)  NOT NULL,
    authorization_grant_type      varchar(100)  NOT NULL,
    authorized_scopes             varchar(1000) DEFAULT NULL,
    attributes                    text          DEFAULT NULL,
    state                         varchar(500)  DEFAULT NULL,
    authorization_code_value      text          DEFAULT NULL,
    authorization_code_issued_at  timestamptz   DEFAULT NULL,
    authorization_code_expires_at timestamptz   DEFAULT NULL,
    authorization_code_metadata   text          DEFAULT NULL,
    access_token_value            text          DEFAULT NULL,
    access_token_issued_at        timestamptz   DEFAULT NULL,
    access_token_expires_at       timestamptz   DEFAULT NULL,
    access_token_metadata         text          DEFAULT NULL,
    access_token_type             varchar(100)  DEFAULT NULL,
    access_token_scopes           varchar(1000) DEFAULT NULL,
    oidc_id_token_value           text          DEFAULT NULL,
    oidc_id_token_issued_at       timestamptz   DEFAULT NULL,
    oidc_id_token_expires_at      timestamptz   DEFAULT NULL,
    oidc_id_token_metadata        text          DEFAULT NULL,
    refresh_token_value           text          DEFAULT NULL,
    refresh_token_issued_at       timestamptz   DEFAULT NULL,
    refresh_token_expires_at      timestamptz   DEFAULT NULL,
    refresh_token_metadata        text          DEFAULT NULL,
    user_code_value               text          DEFAULT NULL,
    user_code_issued_at           timestamptz   DEFAULT NULL,
    user_code_expires_at          timestamptz   DEFAULT NULL,
    user_code_metadata            text          DEFAULT NULL,
    device_code_value             text          DEFAULT NULL,
    device_code_issued_at         timestamptz   DEFAULT NULL,
    device_code_expires_at        timestamptz   DEFAULT NULL,
    device_code_metadata          text          DEFAULT NULL
);
CREATE INDEX oauth2_authorization_state_idx ON oauth2_authorization (state);
CREATE INDEX oauth2_authorization_code_idx ON oauth2_authorization (authorization_code_value);
CREATE INDEX oauth2_authorization_access_token_idx ON oauth2_authorization (access_token_value);
CREATE INDEX oauth2_authorization_refresh_token_idx ON oauth2_authorization (refresh_token_value);
CREATE INDEX oauth2_authorization_id_token_idx ON oauth2_authorization (oidc_id_token_value);
CREATE INDEX oauth2_authorization_user_code_idx ON oauth2_authorization (user_code_value);
CREATE INDEX oauth2_authorization_device_code_idx ON oauth2_authorization (device_code_value);
CREATE INDEX oauth2_authorization_principal_idx ON oauth2_authorization (principal_name);

-- Refresh tokens already exchanged for new ones, by hash: presenting one again means it was
-- copied, and ends the whole sign-in it belongs to.
CREATE TABLE oauth2_used_refresh_tokens (
    token_hash       text        PRIMARY KEY,
    authorization_id varchar(100) NOT NULL,
    expires_at       timestamptz NOT NULL
);
