package io.fleetline.simulator;

import io.fleetline.simulator.OptionTypes.Centre;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The fleet every mode drives: how many vehicles, their protocols, and where and how they roam. */
final class FleetOptions {

  @Option(
      names = "--vehicles",
      paramLabel = "N",
      defaultValue = "10",
      converter = OptionTypes.PositiveInt.class,
      description = "vehicles to drive (default: ${DEFAULT-VALUE})")
  int vehicles;

  @Option(
      names = "--protocols",
      paramLabel = "MIX",
      defaultValue = "http=100",
      converter = OptionTypes.Protocols.class,
      description =
          "protocol proportions, e.g. http=50,osmand=20,mqtt=20,teltonika=10 (default:"
              + " ${DEFAULT-VALUE}); vehicles are split by largest remainder")
  ProtocolMix protocols;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "5",
      converter = OptionTypes.Interval.class,
      description =
          "reporting interval of a vehicle, may be fractional (default: ${DEFAULT-VALUE})")
  Duration interval;

  @Option(
      names = "--center",
      paramLabel = "LAT,LON",
      defaultValue = "52.5200,13.4050",
      converter = OptionTypes.CentreOf.class,
      description = "city centre (default: ${DEFAULT-VALUE})")
  Centre centre;

  @Option(
      names = "--radius-m",
      paramLabel = "METRES",
      defaultValue = "3000",
      converter = OptionTypes.PositiveNumber.class,
      description = "how far from the centre vehicles roam (default: ${DEFAULT-VALUE})")
  double radiusM;

  @Option(
      names = "--block-m",
      paramLabel = "METRES",
      defaultValue = "250",
      converter = OptionTypes.PositiveNumber.class,
      description = "distance between parallel streets (default: ${DEFAULT-VALUE})")
  double blockM;

  @Option(
      names = "--gps-noise-m",
      paramLabel = "METRES",
      defaultValue = "4",
      converter = OptionTypes.NonNegativeNumber.class,
      description = "standard deviation of the GPS noise (default: ${DEFAULT-VALUE})")
  double gpsNoiseM;

  @Option(
      names = "--gps-jump-ratio",
      paramLabel = "R",
      defaultValue = "0.002",
      converter = OptionTypes.Ratio.class,
      description = "share of fixes that are outliers 100-400 m off (default: ${DEFAULT-VALUE})")
  double gpsJumpRatio;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "random seed: the same seed drives the same fleet (default: random)")
  Long seed;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      converter = OptionTypes.RunId.class,
      description =
          "prefix of the device identifiers, [a-z0-9]{1,8} (default: random, so runs against the"
              + " same stack never collide)")
  String runId;

  @Option(
      names = "--truth",
      paramLabel = "DIR",
      description =
          "write the ground truth there: vehicles.jsonl, pings.jsonl (every valid ping sent),"
              + " invalid.jsonl (every invalid one with the reason expected), trips.jsonl (the"
              + " trips really driven), manoeuvres.jsonl (idling, emergency stops, racing"
              + " starts and turns taken at speed, made on purpose), summary.json")
  String truth;

  @Option(
      names = "--summary-file",
      paramLabel = "PATH",
      description = "also write the JSON summary to this file")
  String summaryFile;
}
