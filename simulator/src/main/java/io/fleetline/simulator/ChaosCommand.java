package io.fleetline.simulator;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The chaos mode's command line: a backfill with invalid pings mixed in, each with its reason. */
@Command(
    name = "chaos",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Like backfill over the last --history, with --invalid-ratio of the pings invalid, cycling"
          + " through every kind ingest rejects that the vehicle's protocol can carry; each is"
          + " written to the ground truth with the reason ingest should give, and where the"
          + " protocol answers with a reason (HTTP, OsmAnd) the answer is checked."
    })
final class ChaosCommand extends ModeCommand {

  @Mixin DeliveryOptions delivery;

  @Mixin UploadOptions uploads;

  @Option(
      names = "--history",
      paramLabel = "DURATION",
      defaultValue = "30m",
      converter = OptionTypes.History.class,
      description =
          "how much driving to simulate before now, e.g. 90m, 3h, 45s, at most 25d (default:"
              + " ${DEFAULT-VALUE})")
  Duration history;

  @Option(
      names = "--invalid-ratio",
      paramLabel = "R",
      defaultValue = "0.1",
      converter = OptionTypes.Ratio.class,
      description = "share of pings sent invalid on purpose, 0..1 (default: ${DEFAULT-VALUE})")
  double invalidRatio;

  @Override
  Duration history() {
    return history;
  }

  @Override
  double invalidRatio() {
    return invalidRatio;
  }

  @Override
  DeliveryOptions delivery() {
    return delivery;
  }

  @Override
  UploadOptions uploads() {
    return uploads;
  }
}
