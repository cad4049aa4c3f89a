package io.fleetline.api.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads pings and events from Kafka for the live stream. Every instance reads every partition from
 * the newest record on, in a consumer group of its own that never commits: the stream is a view of
 * now, while history is served from the database. The pings partitions are paused while no client
 * wants them, so that an instance nobody watches fetches and decompresses none of the device load;
 * the events topic is read throughout, being small, and a paused events partition would need the
 * same skip to its end on resume for no saving worth having.
 */
@Component
@ConditionalOnProperty(name = "fleetline.api.live.enabled", matchIfMissing = true)
class LiveFeedConsumer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveFeedConsumer.class);

  /** Also how soon pings are paused after the last fleet's replay buffer is dropped. */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  private final KafkaProperties kafka;
  private final LiveProperties properties;
  private final LiveHub hub;
  private final LiveRecords records;
  private final FeedPositions positions;
  private final PingDemand demand;
  private final Set<String> assignedTopics = ConcurrentHashMap.newKeySet();

  /** Written by the consumer thread only, which alone may pause or resume the consumer. */
  private volatile boolean pingsPaused = true;

  private final AtomicLong pingsRead = new AtomicLong();
  private final AtomicLong eventsRead = new AtomicLong();

  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running;
  private Thread thread;

  LiveFeedConsumer(
      KafkaProperties kafka,
      LiveProperties properties,
      LiveHub hub,
      JsonMapper json,
      MeterRegistry meters) {
    this.kafka = kafka;
    this.properties = properties;
    this.hub = hub;
    this.records = new LiveRecords(json, properties.pingsTopic());
    this.positions = hub.positions();
    this.demand = hub.demand();
    Gauge.builder("fleetline.live.pings.paused", this, f -> f.pingsPaused ? 1 : 0)
        .description("1 while no live client wants pings and the feed fetches none")
        .register(meters);
    read(properties.pingsTopic(), pingsRead, meters);
    read(properties.eventsTopic(), eventsRead, meters);
  }

  private static void read(String topic, AtomicLong records, MeterRegistry meters) {
    FunctionCounter.builder("fleetline.live.records.read", records, AtomicLong::get)
        .description("Kafka records the live feed has read, by topic")
        .tag("topic", topic)
        .register(meters);
  }

  @Override
  public void start() {
    Map<String, Object> config = kafka.buildConsumerProperties();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "fleet-api-live-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    // Notice topics created after start-up within seconds rather than the default five minutes.
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer = new KafkaConsumer<>(config);
    running = true;
    thread = new Thread(this::run, "live-feed-consumer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(properties.pingsTopic(), properties.eventsTopic()),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              partitions.forEach(p -> assignedTopics.add(p.topic()));
              if (pingsPaused) {
                consumer.pause(pings(partitions));
              }
              partitions.forEach(LiveFeedConsumer.this::positionOf);
            }
          });
      demand.onDemand(this::wake);
      while (running) {
        try {
          followDemand();
          for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            try {
              dispatch(record);
            } catch (RuntimeException e) {
              log.debug("Skipping an unreadable {} record: {}", record.topic(), e.getMessage());
            }
          }
        } catch (WakeupException e) {
          // A client waits for pings, or the feed stops: the loop's condition tells which.
        }
      }
    } catch (RuntimeException e) {
      log.error("The live feed consumer stopped", e);
    } finally {
      consumer.close(Duration.ofMillis(500));
    }
  }

  /** Pauses or resumes the pings partitions as the clients want them. */
  private void followDemand() {
    boolean wanted = demand.wanted();
    if (wanted && pingsPaused) {
      Set<TopicPartition> pings = pings(consumer.assignment());
      // From the newest ping on, not from where reading stopped: no client wants stale positions.
      consumer.seekToEnd(pings);
      pings.forEach(this::positionOf); // fixes the offsets before the waiting clients go on
      consumer.resume(pings);
      pingsPaused = false;
      log.debug("Reading pings again for the live stream's clients");
    } else if (!wanted && !pingsPaused) {
      consumer.pause(pings(consumer.assignment()));
      pingsPaused = true;
      log.debug("Pausing pings: no live client and no replay buffer left");
    }
    if (wanted) {
      demand.reading();
    }
  }

  /** Moves the feed's position in the partition to where the consumer reads next. */
  private void positionOf(TopicPartition partition) {
    positions.moveTo(
        partition.topic().equals(properties.pingsTopic()),
        partition.partition(),
        consumer.position(partition));
  }

  private Set<TopicPartition> pings(Collection<TopicPartition> partitions) {
    return partitions.stream()
        .filter(p -> p.topic().equals(properties.pingsTopic()))
        .collect(Collectors.toSet());
  }

  private void wake() {
    KafkaConsumer<String, byte[]> current = consumer;
    if (running && current != null) {
      current.wakeup();
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    boolean isPing = records.isPing(record);
    (isPing ? pingsRead : eventsRead).incrementAndGet();
    // Before the message goes out: a position read meanwhile must not claim more than was sent.
    positions.moveTo(isPing, record.partition(), record.offset() + 1);
    LiveRecords.Shown shown = records.show(record, hub::listening);
    if (shown != null) {
      hub.publish(
          shown.fleetId(),
          shown.event(),
          shown.data(),
          isPing,
          record.partition(),
          record.offset());
    }
  }

  /** Whether the pings partitions are paused because no client wants pings. */
  boolean pingsPaused() {
    return pingsPaused;
  }

  /** Whether both topics have partitions assigned, so that new records will be seen. */
  boolean assigned() {
    return assignedTopics.contains(properties.pingsTopic())
        && assignedTopics.contains(properties.eventsTopic());
  }

  @Override
  public void stop() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
