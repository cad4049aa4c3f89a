package io.fleetline.simulator;

import picocli.CommandLine.Option;

/** Where a benchmark script learns when the measured window opens and closes (load, devices). */
final class WindowFileOption {

  @Option(
      names = "--window-file",
      paramLabel = "PATH",
      description =
          "append \"start <epochMillis>\" when the measured window opens and \"end <epochMillis>\""
              + " when it closes")
  String windowFile;
}
