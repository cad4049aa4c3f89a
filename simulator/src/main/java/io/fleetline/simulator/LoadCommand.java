package io.fleetline.simulator;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The load mode's command line: batches as fast as ingest takes them, or paced. */
@Command(
    name = "load",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "As fast as ingest takes them, or paced to --rate pings/s overall, for --duration seconds:"
          + " pings are buffered per vehicle and sent --batch at a time (HTTP array, MQTT array,"
          + " Teltonika packets of up to 255 records; OsmAnd has one position per request, up to"
          + " 32 requests in flight); event time starts a day back; prints a JSON summary."
    })
final class LoadCommand extends ModeCommand {

  @Mixin DeliveryOptions delivery;

  @Mixin UploadOptions uploads;

  @Mixin WindowFileOption window;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "60",
      converter = OptionTypes.Seconds.class,
      description = "how long to send (default: ${DEFAULT-VALUE})")
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

  @Override
  UploadOptions uploads() {
    return uploads;
  }

  @Override
  String windowFile() {
    return window.windowFile;
  }
}
