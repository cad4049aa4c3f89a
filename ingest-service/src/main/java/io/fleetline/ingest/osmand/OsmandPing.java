package io.fleetline.ingest.osmand;

import io.fleetline.ingest.validation.PingCandidate;

/** One position of an OsmAnd request: which device sent it, and what it measured. */
record OsmandPing(String deviceId, PingCandidate candidate) {}
