package io.fleetline.simulator;

import picocli.CommandLine.Option;

/** How the batch modes (load, backfill, chaos) upload: pings per upload and the overall pace. */
final class UploadOptions {

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "100",
      converter = OptionTypes.Batch.class,
      description = "pings per upload, at most 1000 (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--rate",
      paramLabel = "PINGS_PER_S",
      defaultValue = "0",
      converter = OptionTypes.NonNegativeNumber.class,
      description =
          "target rate over all vehicles, 0 = as fast as ingest takes them (default:"
              + " ${DEFAULT-VALUE})")
  double ratePerSecond;
}
