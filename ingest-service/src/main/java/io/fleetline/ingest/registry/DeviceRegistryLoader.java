package io.fleetline.ingest.registry;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.FleetlineJson;
import io.fleetline.ingest.IngestProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads the whole compacted devices topic into the {@link DeviceRegistry} at start-up and then
 * follows it. Every ingest instance reads every partition (no consumer group), so each holds the
 * full registry.
 */
@Component
class DeviceRegistryLoader implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeviceRegistryLoader.class);

  private final DeviceRegistry registry;
  private final Map<String, Object> consumerConfig;
  private final String topic;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile Thread thread;
  private volatile boolean running;

  DeviceRegistryLoader(
      DeviceRegistry registry, KafkaProperties kafkaProperties, IngestProperties properties) {
    this.registry = registry;
    this.topic = properties.topics().devices();
    Map<String, Object> config = new HashMap<>(kafkaProperties.buildConsumerProperties());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumerConfig = config;
  }

  @Override
  public void start() {
    running = true;
    consumer = new KafkaConsumer<>(consumerConfig);
    thread = new Thread(this::follow, "device-registry-loader");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    KafkaConsumer<String, byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    try {
      if (thread != null) {
        thread.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Follows the topic until stopped; a broker that is away only delays it, it never gives up. */
  private void follow() {
    try (KafkaConsumer<String, byte[]> c = consumer) {
      while (running) {
        try {
          followOnce(c);
        } catch (WakeupException e) {
          return; // stop() was called
        } catch (RuntimeException e) {
          log.warn("Device registry loader: {}; retrying", e.toString());
          pause();
        }
      }
    }
  }

  private void followOnce(KafkaConsumer<String, byte[]> c) {
    List<TopicPartition> partitions = awaitPartitions(c);
    c.assign(partitions);
    if (!registry.isLoaded()) {
      c.seekToBeginning(partitions);
    }
    Map<TopicPartition, Long> endAtStart = c.endOffsets(partitions);
    while (running) {
      for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
        applyRecord(record);
      }
      if (!registry.isLoaded() && caughtUp(c, endAtStart)) {
        registry.markLoaded();
        log.info("Device registry loaded: {} devices from {}", registry.size(), topic);
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(1_000); // back-off before asking an unavailable broker again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
    while (running) {
      List<PartitionInfo> infos;
      try {
        infos = c.partitionsFor(topic, Duration.ofSeconds(5));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        infos = null; // the broker did not answer in time; ask again
      }
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      log.info("Waiting for topic {} to exist", topic);
    }
    throw new WakeupException();
  }

  private boolean caughtUp(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
  }

  private void applyRecord(ConsumerRecord<String, byte[]> record) {
    try {
      DeviceKey key = DeviceKey.parse(record.key());
      DeviceRegistration registration =
          record.value() == null
              ? null
              : FleetlineJson.read(record.value(), DeviceRegistration.class);
      registry.apply(key, registration);
    } catch (RuntimeException e) {
      log.warn(
          "Skipping unreadable registry record at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    }
  }
}
