-- A per-client request rate for fleet-api's rate limiter; null means the configured default.
ALTER TABLE api_clients ADD COLUMN requests_per_second integer CHECK (requests_per_second > 0);
