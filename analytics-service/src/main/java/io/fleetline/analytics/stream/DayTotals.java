package io.fleetline.analytics.stream;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

/**
 * The running totals of one vehicle's day, kept in the {@code day-summaries} store until the day is
 * closed (its end plus the grace period has passed) and published.
 */
final class DayTotals {

  public UUID vehicleId;
  public UUID fleetId;
  public LocalDate day;
  public String timeZone;
  public long revision;

  /** Whether this revision is not yet on the findings topic. */
  public boolean dirty;

  /** Wall-clock milliseconds when a revision was last published; 0 before the first. */
  public long publishedMs;

  public double distanceM;
  public double drivingS;
  public double idleS;
  public Double maxSpeedKmh;
  public int tripCount;
  public int harshBrakingCount;
  public int harshAccelerationCount;
  public int harshCorneringCount;
  public long sampleCount;
  public Sample first;
  public Sample last;

  static DayTotals start(UUID vehicleId, UUID fleetId, LocalDate day, ZoneId zone) {
    DayTotals t = new DayTotals();
    t.vehicleId = vehicleId;
    t.fleetId = fleetId;
    t.day = day;
    t.timeZone = zone.getId();
    return t;
  }

  void changed() {
    revision++;
    dirty = true;
  }

  DailySummary summary() {
    return new DailySummary(
        vehicleId,
        fleetId,
        day,
        timeZone,
        revision,
        distanceM,
        drivingS,
        idleS,
        maxSpeedKmh,
        drivingS > 0 ? distanceM / drivingS * 3.6 : null,
        tripCount,
        harshBrakingCount,
        harshAccelerationCount,
        harshCorneringCount,
        sampleCount,
        first.recordedAt(),
        first.latitude(),
        first.longitude(),
        last.recordedAt(),
        last.latitude(),
        last.longitude());
  }
}
