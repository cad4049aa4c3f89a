package io.fleetline.analytics.store;

import io.fleetline.analytics.stream.DailySummary;
import io.fleetline.analytics.stream.DetectedEvent;
import io.fleetline.analytics.stream.Finding;
import io.fleetline.analytics.stream.VehicleStatus;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.VehicleEvent;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Stores what the stream found: reads the findings topic (committed transactions only), writes each
 * batch in one database transaction, then publishes the events that were new. Offsets are committed
 * after the database commit, so a crash repeats a batch, which the store absorbs.
 */
@Component
class FindingsListener {

  private static final Logger log = LoggerFactory.getLogger(FindingsListener.class);

  private final FindingStore store;
  private final EventPublisher publisher;

  FindingsListener(FindingStore store, EventPublisher publisher) {
    this.store = store;
    this.publisher = publisher;
  }

  @KafkaListener(
      id = "analyticsFindings",
      topics = "${fleetline.analytics.findings-topic:fleetline.analytics.findings}",
      groupId = "${fleetline.analytics.store-group:fleetline-analytics-store}",
      batch = "true")
  void onFindings(List<ConsumerRecord<String, byte[]>> records) throws SQLException {
    Map<String, DetectedEvent> events = new LinkedHashMap<>();
    Map<String, DailySummary> summaries = new LinkedHashMap<>();
    Map<String, VehicleStatus> statuses = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      Finding finding;
      try {
        finding = FleetlineJson.read(record.value(), Finding.class);
      } catch (RuntimeException e) {
        log.warn("Finding at offset {} skipped: {}", record.offset(), e.toString());
        continue;
      }
      // Within a batch only the newest revision of a summary or status needs writing.
      if (finding.event() != null) {
        events.putIfAbsent(finding.event().key(), finding.event());
      } else if (finding.summary() != null) {
        summaries.merge(
            finding.summary().vehicleId() + "/" + finding.summary().day(),
            finding.summary(),
            (a, b) -> b.revision() > a.revision() ? b : a);
      } else if (finding.status() != null) {
        statuses.merge(
            finding.status().vehicleId().toString(),
            finding.status(),
            (a, b) -> b.revision() > a.revision() ? b : a);
      }
    }
    List<VehicleEvent> stored = store.store(events.values(), summaries.values(), statuses.values());
    publisher.publish(stored);
  }
}
