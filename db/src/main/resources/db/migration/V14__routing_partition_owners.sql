-- Which routing consumer owns each Kafka partition of the pings, and since when. A consumer that
-- is given a partition raises its epoch; every batch transaction checks, just before it commits,
-- that the epoch it claimed is still the current one, so a consumer that lost the partition (a
-- rebalance, a long pause) cannot commit a batch after the new owner's.
CREATE TABLE routing_partition_owners (
    partition  text        PRIMARY KEY,
    epoch      bigint      NOT NULL CHECK (epoch > 0),
    owner      text        NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now()
);
