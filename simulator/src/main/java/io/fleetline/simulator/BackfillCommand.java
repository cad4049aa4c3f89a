package io.fleetline.simulator;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The backfill mode's command line: hours of buffered pings uploaded late. */
@Command(
    name = "backfill",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Every vehicle was offline for --history up to now; then all upload their buffers, --batch"
          + " at a time, oldest first per vehicle but interleaved at random across vehicles, with"
          + " their original timestamps."
    })
final class BackfillCommand extends ModeCommand {

  @Mixin DeliveryOptions delivery;

  @Mixin UploadOptions uploads;

  @Option(
      names = "--history",
      paramLabel = "DURATION",
      defaultValue = "3h",
      converter = OptionTypes.History.class,
      description =
          "how much driving to simulate before now, e.g. 90m, 3h, 45s, at most 25d (default:"
              + " ${DEFAULT-VALUE})")
  Duration history;

  @Option(
      names = "--invalid-ratio",
      paramLabel = "R",
      defaultValue = "0",
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
