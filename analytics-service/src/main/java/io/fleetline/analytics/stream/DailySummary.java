package io.fleetline.analytics.stream;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One vehicle's driving on one calendar day of its fleet's time zone, as far as the stream has seen
 * it; a later revision of the same vehicle and day replaces an earlier one.
 *
 * @param avgSpeedKmh distance over driving time; {@code null} without driving
 * @param tripCount departures after standing still at least the minimum stop (or a data gap)
 */
public record DailySummary(
    UUID vehicleId,
    UUID fleetId,
    LocalDate day,
    String timeZone,
    long revision,
    double distanceM,
    double drivingS,
    double idleS,
    Double maxSpeedKmh,
    Double avgSpeedKmh,
    int tripCount,
    int harshBrakingCount,
    int harshAccelerationCount,
    int harshCorneringCount,
    long sampleCount,
    Instant firstAt,
    double firstLatitude,
    double firstLongitude,
    Instant lastAt,
    double lastLatitude,
    double lastLongitude) {}
