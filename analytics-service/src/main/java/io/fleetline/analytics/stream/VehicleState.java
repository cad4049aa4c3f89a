package io.fleetline.analytics.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the stream remembers of one vehicle between its pings, kept in the {@code vehicle-state}
 * store (JSON) and restored from its changelog; mutable, owned by the one task of its partition.
 */
final class VehicleState {

  public UUID fleetId;

  /** The newest sample applied to the detectors. */
  public Sample last;

  /** Samples held for the reorder window, oldest first. */
  public List<Sample> pending = new ArrayList<>();

  /** The newest event time seen, applied or held. */
  public Instant newestRecordedAt;

  /** Wall-clock milliseconds when the latest ping was processed. */
  public long lastHeardMs;

  public boolean offline;
  public Instant onlineChangedAt;

  /** First and latest sample of the current run of standing with ignition on; null when none. */
  public Sample idleStart;

  public Sample idleLast;
  public boolean idling;

  /** Whether the vehicle was moving at the last sample, and since when it stands if not. */
  public boolean moving;

  public Instant stillSince;

  /** Harsh-driving runs in progress by kind. */
  public Map<String, HarshRun> harsh = new HashMap<>();

  public long statusRevision;

  /** The latest sample the daily distance trusts as a position. */
  public Sample lastFix;

  /** Where the daily distance was last counted to; it stays put while the vehicle stands. */
  public Sample countedFrom;

  /** A fix too far from the last one, until the next sample shows whether it was an outlier. */
  public Sample suspect;
}
