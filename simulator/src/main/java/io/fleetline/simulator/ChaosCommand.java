package io.fleetline.simulator;

import picocli.CommandLine.Command;

/** The chaos mode's command line: a backfill with invalid pings mixed in, each with its reason. */
@Command(
    name = "chaos",
    sortOptions = false,
    abbreviateSynopsis = true,
    defaultValueProvider = ChaosCommand.Defaults.class,
    description = {
      "Like backfill over the last --history, with --invalid-ratio of the pings invalid, cycling"
          + " through every kind ingest rejects that the vehicle's protocol can carry; each is"
          + " written to the ground truth with the reason ingest should give, and where the"
          + " protocol answers with a reason (HTTP, OsmAnd) the answer is checked."
    })
final class ChaosCommand extends ReplayCommand {

  /** Half an hour of driving, one ping in ten invalid. */
  static final class Defaults extends ReplayCommand.Defaults {
    Defaults() {
      super("30m", "0.1");
    }
  }
}
