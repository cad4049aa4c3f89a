package io.fleetline.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

class TopicReplicationTest {

  private static final Map<String, String> SCALED_OUT =
      Map.of(
          "fleetline.kafka.topics.replication-factor", "3",
          "fleetline.kafka.topics.min-insync-replicas", "2",
          "fleetline.analytics.replication-factor", "3");

  private static AnalyticsProperties properties(Binder binder) {
    return binder.bindOrCreate("fleetline.analytics", AnalyticsProperties.class);
  }

  private static TopicReplication replication(Binder binder) {
    return binder.bindOrCreate("fleetline.kafka.topics", TopicReplication.class);
  }

  private static List<NewTopic> topicsWith(Map<String, String> settings) {
    Binder binder = new Binder(new MapConfigurationPropertySource(settings));
    StreamsConfiguration configuration = new StreamsConfiguration();
    return List.of(
        configuration.findingsTopic(properties(binder), replication(binder)),
        configuration.eventsTopic(properties(binder), replication(binder)));
  }

  private static Properties streamsConfigWith(Map<String, String> settings) {
    Binder binder = new Binder(new MapConfigurationPropertySource(settings));
    return new StreamsConfiguration()
        .analyticsStreams(
            properties(binder),
            replication(binder),
            new KafkaProperties(),
            new SimpleMeterRegistry())
        .getStreamsConfiguration();
  }

  /** A topic's settings; Kafka's NewTopic has none rather than an empty map when none are set. */
  private static Map<String, String> configs(NewTopic topic) {
    return topic.configs() == null ? Map.of() : topic.configs();
  }

  @Test
  void unsetReplicationLeavesCopiesAndInSyncCopiesToTheBrokersDefaults() {
    assertThat(topicsWith(Map.of()))
        .allSatisfy(
            topic -> {
              assertThat(topic.replicationFactor()).isEqualTo((short) -1);
              assertThat(configs(topic)).doesNotContainKey("min.insync.replicas");
            });
    assertThat(streamsConfigWith(Map.of()))
        .containsEntry("replication.factor", -1)
        .doesNotContainKey("topic.min.insync.replicas");
  }

  @Test
  void onAThreeBrokerClusterTheStreamsOwnTopicsAndItsChangelogsHaveTwoCopiesInSync() {
    assertThat(topicsWith(SCALED_OUT))
        .allSatisfy(
            topic -> {
              assertThat(topic.replicationFactor()).isEqualTo((short) 3);
              assertThat(configs(topic)).containsEntry("min.insync.replicas", "2");
            });
    assertThat(streamsConfigWith(SCALED_OUT))
        .containsEntry("replication.factor", 3)
        .containsEntry("topic.min.insync.replicas", 2);
  }

  @Test
  void changelogsFollowTheSharedReplicationFactorWhenAnalyticsSetsNoneOfItsOwn() {
    Map<String, String> sharedOnly =
        Map.of(
            "fleetline.kafka.topics.replication-factor", "3",
            "fleetline.kafka.topics.min-insync-replicas", "2");

    assertThat(streamsConfigWith(sharedOnly))
        .containsEntry("replication.factor", 3)
        .containsEntry("topic.min.insync.replicas", 2);
  }

  @Test
  void changelogsWithFewerCopiesThanMustBeInSyncAreRefusedAtStart() {
    Map<String, String> oneCopyTwoInSync =
        Map.of(
            "fleetline.kafka.topics.replication-factor", "3",
            "fleetline.kafka.topics.min-insync-replicas", "2",
            "fleetline.analytics.replication-factor", "1");

    assertThatThrownBy(() -> streamsConfigWith(oneCopyTwoInSync))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fleetline.analytics.replication-factor (1)");
  }

  @Test
  void moreInSyncCopiesThanTopicCopiesAreRefusedAtStart() {
    Map<String, String> oneCopyTwoInSync =
        Map.of(
            "fleetline.kafka.topics.replication-factor", "1",
            "fleetline.kafka.topics.min-insync-replicas", "2");

    assertThatThrownBy(() -> topicsWith(oneCopyTwoInSync))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetline.kafka.topics.min-insync-replicas (2)");
  }

  @Test
  void theStreamCommitsOnceASecondUnlessToldOtherwise() throws Exception {
    List<PropertySource<?>> yaml =
        new YamlPropertySourceLoader()
            .load("application.yaml", new ClassPathResource("application.yaml"));
    Binder binder =
        new Binder(
            ConfigurationPropertySources.from(yaml), new PropertySourcesPlaceholdersResolver(yaml));
    KafkaProperties kafka = binder.bindOrCreate("spring.kafka", KafkaProperties.class);

    assertThat(kafka.buildStreamsProperties()).containsEntry("commit.interval.ms", "1000");
  }
}
