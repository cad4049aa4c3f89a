package io.fleetline.analytics.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of pings the detectors did not use, by reason. */
final class IgnoredPings {

  final Counter undecodable;
  final Counter outOfOrder;
  final Counter duplicate;
  final Counter tooLate;

  IgnoredPings(MeterRegistry meters) {
    undecodable = counter(meters, "undecodable");
    outOfOrder = counter(meters, "out_of_order");
    duplicate = counter(meters, "duplicate");
    tooLate = counter(meters, "day_closed");
  }

  private static Counter counter(MeterRegistry meters, String reason) {
    return Counter.builder("fleetline.analytics.pings.ignored")
        .description("Pings the analytics did not use (day_closed: for summaries only)")
        .tag("reason", reason)
        .register(meters);
  }
}
