package io.fleetline.deploy;

import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart with its Helm hooks rendered like ordinary manifests. helm-java's {@code template}
 * returns the release manifest only, without hooks (unlike the {@code helm template} command), so
 * this copies the chart to {@code target/} with every {@code helm.sh/hook} annotation key renamed
 * to {@link #HOOK}: Helm then renders the hook Job like any object, annotations and all, and
 * nothing else about the chart changes.
 */
final class HookRevealingChart {

  static final String HOOK = "test.fleetline.io/hook";

  private static final Path COPY = Path.of("target/hook-revealing-chart/fleetline");

  private HookRevealingChart() {}

  static Manifests render(Map<String, Object> values) {
    return HelmChartTest.render(
        copy(),
        command -> {
          TemplateCommand c = command;
          for (var entry : values.entrySet()) {
            c = c.set(entry.getKey(), entry.getValue());
          }
          return c;
        });
  }

  private static synchronized Path copy() {
    try (Stream<Path> files = Files.walk(Repository.CHART)) {
      for (Path source : files.toList()) {
        Path target = COPY.resolve(Repository.CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.writeString(target, Files.readString(source).replace("helm.sh/hook", HOOK));
        }
      }
      return COPY;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
