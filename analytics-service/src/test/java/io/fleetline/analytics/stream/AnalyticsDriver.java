package io.fleetline.analytics.stream;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.PingCodec;
import io.fleetline.common.Topics;
import io.fleetline.common.VehiclePing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The analytics topology in a {@link TopologyTestDriver} (real RocksDB stores, mocked wall clock),
 * with the findings it has produced so far.
 */
final class AnalyticsDriver implements AutoCloseable {

  static final String FINDINGS = "fleetline.analytics.findings";

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> pings;
  private final TestOutputTopic<String, byte[]> findings;
  private final List<Finding> seen = new ArrayList<>();

  AnalyticsDriver(Instant wallClock) {
    this(DetectionSettings.defaults(), fleet -> ZoneOffset.UTC, wallClock);
  }

  AnalyticsDriver(DetectionSettings settings, FleetZones zones, Instant wallClock) {
    StreamsBuilder builder = new StreamsBuilder();
    AnalyticsTopology.define(builder, Topics.PINGS, FINDINGS, settings, zones, meters);
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "fleetline-analytics-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try {
      config.put(
          StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("analytics-state").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    driver = new TopologyTestDriver(builder.build(), config, wallClock);
    pings =
        driver.createInputTopic(Topics.PINGS, new StringSerializer(), new ByteArraySerializer());
    findings =
        driver.createOutputTopic(FINDINGS, new StringDeserializer(), new ByteArrayDeserializer());
  }

  void send(Collection<VehiclePing> batch) {
    batch.forEach(this::send);
  }

  void send(VehiclePing ping) {
    pings.pipeInput(ping.vehicleId().toString(), PingCodec.write(ping));
  }

  void sendRaw(String key, byte[] value) {
    pings.pipeInput(key, value);
  }

  /** Puts a vehicle's state into the store, as a restore from the changelog would. */
  void restore(java.util.UUID vehicleId, VehicleState state) {
    driver
        .<String, byte[]>getKeyValueStore(VehicleAnalyzer.VEHICLE_STORE)
        .put(vehicleId.toString(), FleetlineJson.write(state));
  }

  void advance(Duration wallClock) {
    driver.advanceWallClockTime(wallClock);
  }

  List<Finding> findings() {
    findings.readValuesToList().forEach(v -> seen.add(FleetlineJson.read(v, Finding.class)));
    return List.copyOf(seen);
  }

  List<DetectedEvent> events() {
    return findings().stream().filter(f -> f.event() != null).map(Finding::event).toList();
  }

  List<DetectedEvent> events(String type) {
    return events().stream().filter(e -> e.type().equals(type)).toList();
  }

  List<VehicleStatus> statuses() {
    return findings().stream().filter(f -> f.status() != null).map(Finding::status).toList();
  }

  /** The newest revision of each vehicle's day, in the order the days first appeared. */
  List<DailySummary> summaries() {
    Map<String, DailySummary> latest = new LinkedHashMap<>();
    for (Finding f : findings()) {
      if (f.summary() != null) {
        latest.merge(
            f.summary().vehicleId() + "/" + f.summary().day(),
            f.summary(),
            (a, b) -> b.revision() > a.revision() ? b : a);
      }
    }
    return List.copyOf(latest.values());
  }

  double ignored(String reason) {
    return meters.get("fleetline.analytics.pings.ignored").tag("reason", reason).counter().count();
  }

  @Override
  public void close() {
    driver.close();
  }
}
