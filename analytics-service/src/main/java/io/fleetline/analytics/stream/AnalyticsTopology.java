package io.fleetline.analytics.stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The analytics topology: pings (key = vehicle id) through the {@link VehicleAnalyzer}, with its
 * two RocksDB stores backed by changelog topics, to the findings topic (key = vehicle id).
 *
 * <p>The stores are cached: a vehicle's state, rewritten by each of its pings, reaches RocksDB and
 * its changelog once per commit (or when the cache is full) instead of once per ping, which is most
 * of what exactly-once costs the broker at many pings per vehicle and commit.
 */
public final class AnalyticsTopology {

  private AnalyticsTopology() {}

  /** Adds the stores and the processor to {@code builder}; returns the stream of findings. */
  public static KStream<String, byte[]> define(
      StreamsBuilder builder,
      String pingsTopic,
      String findingsTopic,
      DetectionSettings settings,
      FleetZones zones,
      MeterRegistry meters) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VehicleAnalyzer.VEHICLE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VehicleAnalyzer.SUMMARY_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withCachingEnabled());
    KStream<String, byte[]> findings =
        builder.stream(pingsTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .process(
                () -> new VehicleAnalyzer(settings, zones, meters),
                VehicleAnalyzer.VEHICLE_STORE,
                VehicleAnalyzer.SUMMARY_STORE);
    findings.to(findingsTopic, Produced.with(Serdes.String(), Serdes.ByteArray()));
    return findings;
  }
}
