package io.fleetline.analytics.stream;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Thresholds and tolerances of the detectors ({@code fleetline.analytics.detection.*}).
 *
 * @param offlineAfter no ping for this long (wall-clock) makes a vehicle offline
 * @param forgetAfter the state of a vehicle silent this long (wall-clock) is dropped; it starts
 *     afresh if it comes back
 * @param idleAfter ignition on and standing for longer than this is idling
 * @param idleSpeedKmh below this reported speed a vehicle with ignition on is standing
 * @param movingSpeedKmh at or above this speed a vehicle is moving (driving time, trips)
 * @param minStop standing still at least this long before moving again starts a new trip
 * @param maxDataGap two samples further apart than this are not one stretch of driving or idling
 * @param reorderWindow pings are held this long (event time) so that ones arriving slightly out of
 *     order are still applied in order
 * @param maxPendingSamples at most this many held pings per vehicle
 * @param grace a day's summary takes late pings until this long (wall-clock) after the day ended
 * @param punctuateInterval how often (wall-clock) offline vehicles, held pings and changed
 *     summaries are looked at
 * @param liveWindow events older than this when detected are marked {@code live=false}
 * @param harshBrakingMps2 deceleration (positive number) at or above which braking is harsh
 * @param harshAccelerationMps2 acceleration at or above which it is harsh
 * @param harshCorneringMps2 lateral acceleration at or above which cornering is harsh
 * @param harshMinSpeedKmh slower samples are not judged (GPS speed and heading are noise there)
 * @param harshMinInterval samples closer than this are not judged (duplicates, bursts)
 * @param harshMaxInterval samples further apart than this are not judged (too coarse)
 * @param harshMaxAccuracyM samples with a reported accuracy worse than this are not judged
 * @param harshMaxMps2 an acceleration above this is not physical for a road vehicle: a GPS fault
 * @param catchUpLag a ping processed longer than this (wall-clock) after ingest received it shows
 *     the stream catching up on a backlog (after a stall or an outage): until the next look at
 *     silent vehicles finds none such, no vehicle is declared offline, since its pings may still be
 *     waiting
 * @param summaryInterval a day's summary, once published, is published again at most this often
 *     (wall-clock) while it changes; its first revision goes out at the next punctuation
 * @param distanceMaxAccuracyM samples with a reported accuracy worse than this do not count towards
 *     the daily distance
 * @param distanceMaxSpeedKmh a sample that could only be reached from the previous fix at a higher
 *     speed is a GPS outlier to the daily distance, unless the next sample confirms it
 * @param distanceJitterM without reported speeds, a displacement shorter than this from where
 *     distance was last counted is GPS jitter of a standing vehicle
 */
public record DetectionSettings(
    @DefaultValue("10m") Duration offlineAfter,
    @DefaultValue("30d") Duration forgetAfter,
    @DefaultValue("5m") Duration idleAfter,
    @DefaultValue("3") double idleSpeedKmh,
    @DefaultValue("5") double movingSpeedKmh,
    @DefaultValue("5m") Duration minStop,
    @DefaultValue("10m") Duration maxDataGap,
    @DefaultValue("20s") Duration reorderWindow,
    @DefaultValue("600") int maxPendingSamples,
    @DefaultValue("2h") Duration grace,
    @DefaultValue("10s") Duration punctuateInterval,
    @DefaultValue("5m") Duration liveWindow,
    @DefaultValue("3.5") double harshBrakingMps2,
    @DefaultValue("3.0") double harshAccelerationMps2,
    @DefaultValue("3.5") double harshCorneringMps2,
    @DefaultValue("10") double harshMinSpeedKmh,
    @DefaultValue("500ms") Duration harshMinInterval,
    @DefaultValue("5s") Duration harshMaxInterval,
    @DefaultValue("25") double harshMaxAccuracyM,
    @DefaultValue("12") double harshMaxMps2,
    @DefaultValue("1m") Duration catchUpLag,
    @DefaultValue("1m") Duration summaryInterval,
    @DefaultValue("50") double distanceMaxAccuracyM,
    @DefaultValue("200") double distanceMaxSpeedKmh,
    @DefaultValue("20") double distanceJitterM) {

  /** The defaults, for code and tests that run without Spring. */
  public static DetectionSettings defaults() {
    return new DetectionSettings(
        Duration.ofMinutes(10),
        Duration.ofDays(30),
        Duration.ofMinutes(5),
        3,
        5,
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        Duration.ofSeconds(20),
        600,
        Duration.ofHours(2),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        3.5,
        3.0,
        3.5,
        10,
        Duration.ofMillis(500),
        Duration.ofSeconds(5),
        25,
        12,
        Duration.ofMinutes(1),
        Duration.ofMinutes(1),
        50,
        200,
        20);
  }
}
