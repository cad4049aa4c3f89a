package io.fleetline.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A mode of the simulator, one subcommand: the options every mode takes, and how a mode's options
 * become the settings of a run. A mode declares the options only it takes; what it does not take it
 * runs with the values below, which it never reads.
 */
abstract class ModeCommand {

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "this text")
  boolean help;

  @Mixin PlatformOptions platform;

  @Mixin FleetOptions fleet;

  /**
   * The settings of a run in this mode; the endpoints not on the command line come from {@code
   * environment}, then the env file.
   *
   * @throws ParameterException naming the option, when a rule across options is broken or a setting
   *     is found nowhere
   */
  final SimulatorOptions options(Map<String, String> environment) throws IOException {
    PlatformOptions.Endpoints endpoints;
    try {
      check();
      endpoints = platform.resolve(environment, fleet.protocols);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    DeliveryOptions delivery = delivery();
    UploadOptions uploads = uploads();
    return new SimulatorOptions(
        spec.name(),
        endpoints.apiUrl(),
        endpoints.ingestUrl(),
        endpoints.osmandUrl(),
        endpoints.teltonikaAddr(),
        endpoints.mqttUrl(),
        endpoints.clientId(),
        endpoints.clientSecret(),
        fleet.vehicles,
        fleet.protocols,
        fleet.interval,
        fleet.centre.lat(),
        fleet.centre.lon(),
        fleet.radiusM,
        fleet.blockM,
        duration(),
        history(),
        fleet.seed != null ? fleet.seed : System.nanoTime(),
        fleet.runId != null ? fleet.runId : randomRunId(),
        uploads.ratePerSecond,
        uploads.batch,
        delivery.concurrency,
        invalidRatio(),
        fleet.gpsNoiseM,
        fleet.gpsJumpRatio,
        delivery.retryFor,
        fleet.truth == null ? null : Path.of(fleet.truth),
        fleet.summaryFile,
        connections(),
        warmup(),
        windowFile(),
        endpoints.coapUrl());
  }

  /** Rules across this mode's options; an {@link IllegalArgumentException} names the option. */
  void check() {}

  Duration duration() {
    return Duration.ZERO;
  }

  Duration history() {
    return Duration.ZERO;
  }

  double invalidRatio() {
    return 0;
  }

  DeliveryOptions delivery() {
    return CommandLine.populateCommand(new DeliveryOptions());
  }

  UploadOptions uploads() {
    return CommandLine.populateCommand(new UploadOptions());
  }

  int connections() {
    return 0;
  }

  Duration warmup() {
    return Duration.ZERO;
  }

  String windowFile() {
    return null;
  }

  private static String randomRunId() {
    return Long.toString(
        (System.nanoTime() ^ (long) (Math.random() * Long.MAX_VALUE)) & 0xFFFFFFFFFL, 36);
  }
}
