package io.fleetline.simulator;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How the modes that send through the uplinks deliver: uploads in flight, and resending. */
final class DeliveryOptions {

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "16",
      converter = OptionTypes.PositiveInt.class,
      description = "uploads in flight at once (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--retry-for",
      paramLabel = "SECONDS",
      defaultValue = "30",
      converter = OptionTypes.Seconds.class,
      description =
          "how long a device keeps resending an upload ingest did not acknowledge, as trackers"
              + " do (default: ${DEFAULT-VALUE})")
  Duration retryFor;
}
