package io.fleetline.analytics;

import io.fleetline.analytics.stream.AnalyticsTopology;
import io.fleetline.analytics.stream.FleetZones;
import io.fleetline.common.TopicReplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The Kafka Streams instance: exactly-once (v2), RocksDB state under the state directory with
 * changelog topics and standby replicas, its metrics in Micrometer and its state in the health.
 */
@Configuration(proxyBeanMethods = false)
class StreamsConfiguration {

  @Bean
  StreamsBuilderFactoryBean analyticsStreams(
      AnalyticsProperties properties,
      TopicReplication replication,
      KafkaProperties kafka,
      MeterRegistry meters) {
    // Brokers, TLS and SASL as for every client of the service (spring.kafka.*), then its own.
    Map<String, Object> config = new HashMap<>(kafka.buildStreamsProperties());
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir());
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
    config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
    int changelogCopies = replication.replicationFactorOr(properties.replicationFactor());
    replication.requireInSync(
        changelogCopies,
        "fleetline.analytics.replication-factor",
        "no exactly-once commit of the stream could ever succeed");
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, changelogCopies);
    // The changelog and repartition topics, as the service's own topics.
    replication
        .topicConfigs()
        .forEach((name, value) -> config.put(StreamsConfig.topicPrefix(name), value));
    StreamsBuilderFactoryBean factory =
        new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(config));
    factory.addListener(new KafkaStreamsMicrometerListener(meters));
    // A failing thread is replaced: its tasks restart from the last committed state.
    factory.setStreamsUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
    return factory;
  }

  @Bean
  KStream<String, byte[]> analyticsTopology(
      StreamsBuilder builder,
      AnalyticsProperties properties,
      FleetZones zones,
      MeterRegistry meters) {
    return AnalyticsTopology.define(
        builder,
        properties.pingsTopic(),
        properties.findingsTopic(),
        properties.detection(),
        zones,
        meters);
  }

  /** The stream's output; brokers run with topic auto-creation off. */
  @Bean
  NewTopic findingsTopic(AnalyticsProperties properties, TopicReplication replication) {
    return TopicBuilder.name(properties.findingsTopic())
        .partitions(properties.findingsPartitions())
        .replicas(replication.replicationFactor())
        .configs(replication.topicConfigs())
        .build();
  }

  @Bean
  NewTopic eventsTopic(AnalyticsProperties properties, TopicReplication replication) {
    return TopicBuilder.name(properties.eventsTopic())
        .partitions(properties.eventsPartitions())
        .replicas(replication.replicationFactor())
        .configs(replication.topicConfigs())
        .build();
  }

  /** Readiness: UP while the streams instance runs or rebalances. */
  @Bean("analyticsStreamsHealthIndicator")
  HealthIndicator analyticsStreamsHealth(StreamsBuilderFactoryBean streams) {
    return () -> {
      KafkaStreams kafkaStreams = streams.getKafkaStreams();
      if (kafkaStreams == null) {
        return Health.down().withDetail("state", "NOT_STARTED").build();
      }
      KafkaStreams.State state = kafkaStreams.state();
      return (state.isRunningOrRebalancing() ? Health.up() : Health.down())
          .withDetail("state", state.name())
          .build();
    };
  }

  /** How the stream's topics are replicated: {@code fleetline.kafka.topics.*}, checked at start. */
  @Bean
  TopicReplication topicReplication(Environment environment) {
    return Binder.get(environment).bindOrCreate(TopicReplication.SETTINGS, TopicReplication.class);
  }
}
