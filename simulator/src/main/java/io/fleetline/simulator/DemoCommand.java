package io.fleetline.simulator;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The demo mode's command line: real time, one ping per message. */
@Command(
    name = "demo",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Real time: every vehicle reports every --interval, one ping per message, until --duration"
          + " (0 = until stopped). The mode run when none is named."
    })
final class DemoCommand extends ModeCommand {

  @Mixin DeliveryOptions delivery;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "0",
      converter = OptionTypes.Seconds.class,
      description = "how long to run, 0 = until stopped (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--invalid-ratio",
      paramLabel = "R",
      defaultValue = "0",
      converter = OptionTypes.Ratio.class,
      description = "share of pings sent invalid on purpose, 0..1 (default: ${DEFAULT-VALUE})")
  double invalidRatio;

  @Override
  Duration duration() {
    return duration;
  }

  @Override
  double invalidRatio() {
    return invalidRatio;
  }

  @Override
  DeliveryOptions delivery() {
    return delivery;
  }
}
