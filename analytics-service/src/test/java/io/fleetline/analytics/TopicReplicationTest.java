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
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

class TopicReplicationTest {

  private static final String SHARED_COPIES = "fleetline.kafka.topics.replication-factor";
  private static final String IN_SYNC_COPIES = "fleetline.kafka.topics.min-insync-replicas";
  private static final String CHANGELOG_COPIES = "fleetline.analytics.replication-factor";

  private static MockEnvironment environmentWith(Map<String, String> settings) {
    MockEnvironment environment = new MockEnvironment();
    settings.forEach(environment::setProperty);
    return environment;
  }

  private static AnalyticsProperties properties(MockEnvironment environment) {
    return Binder.get(environment).bindOrCreate("fleetline.analytics", AnalyticsProperties.class);
  }

  private static List<NewTopic> topicsWith(Map<String, String> settings) {
    MockEnvironment environment = environmentWith(settings);
    StreamsConfiguration configuration = new StreamsConfiguration();
    var replication = configuration.topicReplication(environment);
    return List.of(
        configuration.findingsTopic(properties(environment), replication),
        configuration.eventsTopic(properties(environment), replication));
  }

  private static Properties streamsConfigWith(Map<String, String> settings) {
    MockEnvironment environment = environmentWith(settings);
    StreamsConfiguration configuration = new StreamsConfiguration();
    return configuration
        .analyticsStreams(
            properties(environment),
            configuration.topicReplication(environment),
            new KafkaProperties(),
            new SimpleMeterRegistry())
        .getStreamsConfiguration();
  }

  @Test
  void theStreamsTopicsAndChangelogsTakeTheSharedReplicationAndAnImpossibleOneRefusesStart() {
    Map<String, String> scaledOut = Map.of(SHARED_COPIES, "3", IN_SYNC_COPIES, "2");
    assertThat(topicsWith(scaledOut))
        .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) 3))
        .allSatisfy(topic -> assertThat(topic.configs()).containsEntry("min.insync.replicas", "2"));
    assertThat(streamsConfigWith(scaledOut))
        .containsEntry("replication.factor", 3)
        .containsEntry("topic.min.insync.replicas", "2");

    assertThatThrownBy(() -> topicsWith(Map.of(SHARED_COPIES, "1", IN_SYNC_COPIES, "2")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetline.kafka.topics.min-insync-replicas (2)");
  }

  @Test
  void unsetReplicationLeavesTheChangelogsCopiesAndInSyncCopiesToTheBroker() {
    assertThat(streamsConfigWith(Map.of()))
        .containsEntry("replication.factor", -1)
        .doesNotContainKey("topic.min.insync.replicas");
  }

  @Test
  void changelogsHaveAnalyticsOwnReplicationFactorWhereSet() {
    assertThat(
            streamsConfigWith(
                Map.of(SHARED_COPIES, "3", IN_SYNC_COPIES, "2", CHANGELOG_COPIES, "2")))
        .containsEntry("replication.factor", 2);
  }

  @Test
  void changelogsWithFewerCopiesThanMustBeInSyncAreRefusedAtStart() {
    Map<String, String> oneCopyTwoInSync =
        Map.of(SHARED_COPIES, "3", IN_SYNC_COPIES, "2", CHANGELOG_COPIES, "1");

    assertThatThrownBy(() -> streamsConfigWith(oneCopyTwoInSync))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "fleetline.analytics.replication-factor (1) is less than"
                + " fleetline.kafka.topics.min-insync-replicas (2):"
                + " no exactly-once commit of the stream could ever succeed");
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
