package io.fleetline.api.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the delivery log from growing without end: deliveries that were delivered or given up are
 * deleted once older than the retention, in chunks so that no single statement holds many locks.
 * Pending deliveries are never deleted. Every instance may run it; deleting twice is harmless.
 */
@Component
class DeliveryLogRetention {

  private static final Logger log = LoggerFactory.getLogger(DeliveryLogRetention.class);
  private static final int CHUNK = 10_000;

  private final JdbcClient jdbc;
  private final WebhookProperties properties;

  DeliveryLogRetention(JdbcClient jdbc, WebhookProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  @Scheduled(
      initialDelayString = "${fleetline.webhooks.log-cleanup-interval:1h}",
      fixedDelayString = "${fleetline.webhooks.log-cleanup-interval:1h}")
  void scheduled() {
    try {
      prune();
    } catch (RuntimeException e) {
      log.warn("Pruning the webhook delivery log failed: {}", e.toString());
    }
  }

  /** Deletes the finished deliveries older than the retention; returns how many. */
  int prune() {
    int total = 0;
    int deleted;
    do {
      deleted =
          jdbc.sql(
                  """
                  DELETE FROM webhook_deliveries WHERE id IN (
                    SELECT id FROM webhook_deliveries
                    WHERE status <> 'pending'
                      AND created_at < now() - :retentionMs * INTERVAL '1 millisecond'
                    ORDER BY id LIMIT :chunk)""")
              .param("retentionMs", properties.logRetention().toMillis())
              .param("chunk", CHUNK)
              .update();
      total += deleted;
    } while (deleted == CHUNK);
    return total;
  }
}
