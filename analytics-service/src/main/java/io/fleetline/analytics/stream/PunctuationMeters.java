package io.fleetline.analytics.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** What the timer costs: the time of each punctuation and the states it read, by store. */
final class PunctuationMeters {

  final Timer duration;
  final Counter vehicleReads;
  final Counter dayReads;

  PunctuationMeters(MeterRegistry meters) {
    duration =
        Timer.builder("fleetline.analytics.punctuation")
            .description("Time of each look at silent vehicles, held pings and changed summaries")
            .register(meters);
    vehicleReads = reads(meters, VehicleAnalyzer.VEHICLE_STORE);
    dayReads = reads(meters, VehicleAnalyzer.SUMMARY_STORE);
  }

  private static Counter reads(MeterRegistry meters, String store) {
    return Counter.builder("fleetline.analytics.punctuation.reads")
        .description("States the timer read: those due, and all of them once after a task starts")
        .tag("store", store)
        .register(meters);
  }
}
