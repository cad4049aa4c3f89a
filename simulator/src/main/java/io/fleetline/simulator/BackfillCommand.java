package io.fleetline.simulator;

import picocli.CommandLine.Command;

/** The backfill mode's command line: hours of buffered pings uploaded late. */
@Command(
    name = "backfill",
    sortOptions = false,
    abbreviateSynopsis = true,
    defaultValueProvider = BackfillCommand.Defaults.class,
    description = {
      "Every vehicle was offline for --history up to now; then all upload their buffers, --batch"
          + " at a time, oldest first per vehicle but interleaved at random across vehicles, with"
          + " their original timestamps."
    })
final class BackfillCommand extends ReplayCommand {

  /** Three hours of driving, every ping valid. */
  static final class Defaults extends ReplayCommand.Defaults {
    Defaults() {
      super("3h", "0");
    }
  }
}
