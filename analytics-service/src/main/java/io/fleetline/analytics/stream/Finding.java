package io.fleetline.analytics.stream;

/**
 * One record of the findings topic: exactly one of an event, a daily summary or a vehicle status.
 */
public record Finding(DetectedEvent event, DailySummary summary, VehicleStatus status) {

  static Finding of(DetectedEvent event) {
    return new Finding(event, null, null);
  }

  static Finding of(DailySummary summary) {
    return new Finding(null, summary, null);
  }

  static Finding of(VehicleStatus status) {
    return new Finding(null, null, status);
  }
}
