package io.fleetline.simulator;

import java.time.Duration;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The command line of the modes that upload a history of buffered pings late (backfill and chaos,
 * run by {@link ReplayMode}): the same options, declared once; each mode gives its own defaults
 * through a {@link Defaults} named in its {@code @Command}.
 */
abstract class ReplayCommand extends ModeCommand {

  @Mixin DeliveryOptions delivery;

  @Mixin UploadOptions uploads;

  @Option(
      names = "--history",
      paramLabel = "DURATION",
      converter = OptionTypes.History.class,
      description =
          "how much driving to simulate before now, e.g. 90m, 3h, 45s, at most 25d (default:"
              + " ${DEFAULT-VALUE})")
  Duration history;

  @Option(
      names = "--invalid-ratio",
      paramLabel = "R",
      converter = OptionTypes.Ratio.class,
      description = "share of pings sent invalid on purpose, 0..1 (default: ${DEFAULT-VALUE})")
  double invalidRatio;

  @Override
  final Duration history() {
    return history;
  }

  @Override
  final double invalidRatio() {
    return invalidRatio;
  }

  @Override
  final DeliveryOptions delivery() {
    return delivery;
  }

  @Override
  final UploadOptions uploads() {
    return uploads;
  }

  /**
   * A replay mode's defaults of {@code --history} and {@code --invalid-ratio}; the options of the
   * mixins keep the defaults they declare. Picocli shows these in the mode's help too.
   */
  abstract static class Defaults implements IDefaultValueProvider {

    private final String history;
    private final String invalidRatio;

    Defaults(String history, String invalidRatio) {
      this.history = history;
      this.invalidRatio = invalidRatio;
    }

    @Override
    public String defaultValue(ArgSpec argument) {
      if (!(argument instanceof OptionSpec option)) {
        return null;
      }
      return switch (option.longestName()) {
        case "--history" -> history;
        case "--invalid-ratio" -> invalidRatio;
        default -> null;
      };
    }
  }
}
