package io.fleetline.analytics.stream;

import io.fleetline.common.VehiclePing;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The stream's findings over a whole history at once, for comparing a live run against. */
public final class Recomputation {

  public record Result(List<DetectedEvent> events, List<DailySummary> summaries) {}

  private Recomputation() {}

  /** Feeds the pings in event-time order through a fresh topology and lets it settle. */
  public static Result of(
      List<VehiclePing> history, DetectionSettings settings, FleetZones zones, Instant wallClock) {
    try (AnalyticsDriver driver = new AnalyticsDriver(settings, zones, wallClock)) {
      driver.send(history.stream().sorted(Comparator.comparing(VehiclePing::recordedAt)).toList());
      driver.advance(settings.reorderWindow().plus(settings.punctuateInterval()));
      driver.advance(settings.punctuateInterval().plus(Duration.ofSeconds(1)));
      return new Result(driver.events(), driver.summaries());
    }
  }
}
