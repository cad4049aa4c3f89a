package io.fleetline.analytics.store;

import io.fleetline.analytics.AnalyticsApplication;
import io.fleetline.analytics.stream.Finding;
import io.fleetline.common.FleetlineJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;

/**
 * The analytics service in a JVM of its own, to be killed: its stream thread stops inside its Kafka
 * transaction at the first event it finds that occurred after a given instant, after that event was
 * handed to the producer, and announces it on its output. Not a component: the tests' own contexts
 * never see it.
 */
final class AnalyticsChildProcess implements AutoCloseable {

  static final String MID_TRANSACTION = "[analytics-child] stopped mid-transaction at ";

  private final Process process;
  private final Path output;

  private AnalyticsChildProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts the service with {@code settings} ({@code name=value}). */
  static AnalyticsChildProcess start(Instant stopAfter, List<String> settings) throws IOException {
    Path output = Files.createTempFile("analytics-child", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(AnalyticsChildProcess.class.getName());
    command.add("--fleetline.test.stop-after=" + stopAfter);
    settings.forEach(s -> command.add("--" + s));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new AnalyticsChildProcess(process, output);
  }

  /** The key of the event at which the stream thread stopped, once it has. */
  Optional<String> stoppedAt() {
    return output()
        .lines()
        .filter(l -> l.startsWith(MID_TRANSACTION))
        .map(l -> l.substring(MID_TRANSACTION.length()))
        .findFirst();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no commit, no clean close of the stores. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException, IOException {
    kill();
    Files.deleteIfExists(output);
  }

  public static void main(String[] args) {
    new SpringApplication(AnalyticsApplication.class, StopMidTransaction.class).run(args);
  }

  /** Added to the service's topology, after its findings sink. */
  static class StopMidTransaction {

    @Bean
    KStream<String, byte[]> stopMidTransaction(
        @Qualifier("analyticsTopology") KStream<String, byte[]> findings,
        @Value("${fleetline.test.stop-after}") String stopAfter) {
      Instant after = Instant.parse(stopAfter);
      return findings.peek(
          (key, value) -> {
            Finding finding = FleetlineJson.read(value, Finding.class);
            if (finding.event() != null && finding.event().occurredAt().isAfter(after)) {
              System.out.println(MID_TRANSACTION + finding.event().key());
              System.out.flush();
              while (true) {
                LockSupport.park();
              }
            }
          });
    }
  }
}
