package io.fleetline.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells a benchmark script when the measured window opens and closes: the lines {@code start
 * <epochMillis>} and {@code end <epochMillis>} appended to a file it polls, each written through at
 * once. Without {@code --window-file} it writes nothing.
 */
final class WindowFile {

  private final Path path;

  private WindowFile(Path path) {
    this.path = path;
  }

  static WindowFile at(String path) {
    return new WindowFile(path == null ? null : Path.of(path));
  }

  void opened(long epochMillis) {
    append("start " + epochMillis);
  }

  void closed(long epochMillis) {
    append("end " + epochMillis);
  }

  private void append(String line) {
    if (path == null) {
      return;
    }
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Files.writeString(
          path,
          line + "\n",
          StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the window file " + path, e);
    }
  }
}
