package io.fleetline.api.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due deliveries; runs on every instance. Deliveries are claimed with {@code FOR UPDATE SKIP
 * LOCKED} and leased (their next attempt moved past the time one attempt can take), so instances
 * never send the same delivery at once and a dead instance's deliveries become due again. The
 * dispatcher claims only as many as it has free senders and claims again as soon as one is free,
 * never waiting for a slow endpoint; one webhook has at most {@code max-in-flight-per-webhook}
 * attempts under way on an instance, so a hostile endpoint cannot take every sender. A delivery is
 * due only when no earlier delivery of the same subscription and vehicle is still pending: each
 * vehicle's events reach an endpoint in order, the next waiting until the previous one succeeded or
 * was given up.
 */
@Component
class DeliveryDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeliveryDispatcher.class);
  private static final int MAX_ERROR_LENGTH = 500;

  /**
   * Whether a pending delivery is being sent under a live lease: a claim moves its next attempt
   * exactly one lease past its last attempt, which a failure or a release changes.
   */
  static final String LEASED =
      "(next_attempt_at > now()"
          + " AND next_attempt_at = last_attempt_at + :leaseMs * INTERVAL '1 millisecond')";

  private static final String CLAIM =
      """
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d
        JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.enabled
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
          AND NOT (CAST(d.subscription_id AS text) = ANY (string_to_array(:busy, ',')))
          AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries p
            WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
              AND p.status = 'pending' AND p.event_id < d.event_id)
        ORDER BY d.next_attempt_at, d.id
        LIMIT :batch
        FOR UPDATE OF d SKIP LOCKED)
      UPDATE webhook_deliveries d
      SET next_attempt_at = now() + :leaseMs * INTERVAL '1 millisecond',
          attempts = d.attempts + 1, last_attempt_at = now()
      FROM due, webhook_subscriptions s
      WHERE d.id = due.id AND s.id = d.subscription_id
      RETURNING d.id, d.subscription_id, s.fleet_id, d.event_id, d.attempts, d.payload, s.url, s.secret,
                CASE WHEN s.previous_secret_until > now() THEN s.previous_secret END AS previous""";

  private final WebhookProperties properties;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Destinations destinations;
  private final EndpointClient client;
  private final SecretVault vault;
  private final WebhookDisabledNotices notices;
  private final Counter delivered;
  private final Counter failed;
  private final Counter refused;

  private volatile boolean running;
  private volatile Thread thread;
  private ExecutorService senders;
  private final Semaphore freeSenders = new Semaphore(0);
  private final Map<UUID, Integer> inFlight = new ConcurrentHashMap<>();

  DeliveryDispatcher(
      WebhookProperties properties,
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Destinations destinations,
      EndpointClient client,
      SecretVault vault,
      WebhookDisabledNotices notices,
      MeterRegistry meters) {
    this.properties = properties;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.destinations = destinations;
    this.client = client;
    this.vault = vault;
    this.notices = notices;
    this.delivered = attempts(meters, "delivered");
    this.failed = attempts(meters, "failed");
    this.refused = attempts(meters, "refused");
  }

  private static Counter attempts(MeterRegistry meters, String outcome) {
    return Counter.builder("fleetline.webhooks.attempts")
        .description(
            "Webhook delivery attempts by outcome: delivered (2xx), failed (another answer or"
                + " none), refused (the endpoint's address is not allowed)")
        .tag("outcome", outcome)
        .register(meters);
  }

  /** A claimed delivery with what sending it needs. */
  record Claimed(
      long id,
      UUID subscriptionId,
      UUID fleetId,
      long eventId,
      int attempts,
      String payload,
      String url,
      String secret,
      String previousSecret) {}

  @Override
  public synchronized void start() {
    if (!properties.enabled() || running) {
      return;
    }
    ExecutorService senders =
        Executors.newFixedThreadPool(
            Math.max(1, properties.concurrency()),
            r -> {
              Thread sender = new Thread(r, "webhook-sender");
              sender.setDaemon(true);
              return sender;
            });
    this.senders = senders;
    freeSenders.drainPermits();
    freeSenders.release(Math.max(1, properties.concurrency()));
    running = true;
    thread = new Thread(() -> run(senders), "webhook-dispatcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Looks for due deliveries now rather than after the poll interval. */
  void wake() {
    Thread current = thread;
    if (current != null) {
      LockSupport.unpark(current);
    }
  }

  private void run(ExecutorService senders) {
    while (running) {
      int sent = 0;
      try {
        sent = claimAndSend(senders);
      } catch (RuntimeException e) {
        log.warn("Dispatching webhooks failed: {}", e.toString());
      }
      if (sent == 0 && running) {
        LockSupport.parkNanos(properties.pollInterval().toNanos());
      }
    }
  }

  /**
   * Claims as many due deliveries as there are free senders and hands them over without waiting for
   * them; returns how many attempts it started.
   */
  int claimAndSend(ExecutorService senders) {
    int free = Math.min(properties.batchSize(), freeSenders.availablePermits());
    if (free <= 0) {
      return 0; // a sender that finishes wakes the dispatcher
    }
    int cap = Math.max(1, properties.maxInFlightPerWebhook());
    List<String> busy = new ArrayList<>();
    inFlight.forEach(
        (subscription, attempts) -> {
          if (attempts >= cap) {
            busy.add(subscription.toString());
          }
        });
    List<Claimed> batch =
        transactions.execute(
            status ->
                jdbc.sql(CLAIM)
                    .param("batch", free)
                    .param("busy", String.join(",", busy))
                    .param("leaseMs", properties.lease().toMillis())
                    .query(
                        (rs, row) ->
                            new Claimed(
                                rs.getLong("id"),
                                rs.getObject("subscription_id", UUID.class),
                                rs.getObject("fleet_id", UUID.class),
                                rs.getLong("event_id"),
                                rs.getInt("attempts"),
                                rs.getString("payload"),
                                rs.getString("url"),
                                rs.getString("secret"),
                                rs.getString("previous")))
                    .list());
    if (batch == null) {
      return 0;
    }
    int started = 0;
    for (Claimed delivery : batch) {
      if (!takeSlot(delivery.subscriptionId(), cap)) {
        release(delivery); // its webhook has enough attempts under way: due again at once
        continue;
      }
      try {
        senders.execute(
            () -> {
              try {
                attempt(delivery);
              } catch (RuntimeException e) {
                log.warn("A webhook attempt failed unexpectedly", e);
              } finally {
                giveBackSlot(delivery.subscriptionId());
                wake();
              }
            });
        started++;
      } catch (RejectedExecutionException e) {
        giveBackSlot(delivery.subscriptionId());
        release(delivery); // stopping: due again at once rather than after the lease
      }
    }
    return started;
  }

  private boolean takeSlot(UUID subscription, int cap) {
    if (!freeSenders.tryAcquire()) {
      return false;
    }
    boolean[] taken = {false};
    inFlight.compute(
        subscription,
        (id, attempts) -> {
          int now = attempts == null ? 0 : attempts;
          if (now >= cap) {
            return attempts;
          }
          taken[0] = true;
          return now + 1;
        });
    if (!taken[0]) {
      freeSenders.release();
    }
    return taken[0];
  }

  private void giveBackSlot(UUID subscription) {
    inFlight.computeIfPresent(subscription, (id, attempts) -> attempts <= 1 ? null : attempts - 1);
    freeSenders.release();
  }

  private void attempt(Claimed delivery) {
    if (!running) {
      release(delivery);
      return;
    }
    String messageId = "evt_" + delivery.eventId();
    try {
      Destinations.Target target = destinations.check(delivery.url(), delivery.fleetId());
      List<byte[]> keys = new ArrayList<>(2);
      keys.add(vault.open(delivery.subscriptionId(), delivery.secret()));
      if (delivery.previousSecret() != null) {
        keys.add(vault.open(delivery.subscriptionId(), delivery.previousSecret()));
      }
      byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
      long timestamp = Instant.now().getEpochSecond();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("webhook-id", messageId);
      headers.put("webhook-timestamp", Long.toString(timestamp));
      headers.put("webhook-signature", Signatures.header(keys, messageId, timestamp, body));
      EndpointClient.Answer answer = client.post(target, headers, body);
      if (answer.successful()) {
        delivered.increment();
        succeeded(delivery, answer.statusCode());
      } else {
        failed.increment();
        failed(delivery, answer.statusCode(), "the endpoint answered " + answer.statusLine());
      }
    } catch (Destinations.Busy e) {
      // This instance's lookups are saturated: not the endpoint's fault, so neither a failed
      // attempt nor a step towards disabling the webhook.
      log.debug("Webhook delivery {} postponed: {}", delivery.id(), e.getMessage());
      postpone(delivery);
    } catch (Destinations.Refused e) {
      refused.increment();
      failed(delivery, null, "refused: " + e.getMessage());
    } catch (IOException e) {
      failed.increment();
      failed(delivery, null, e.toString());
    } catch (RuntimeException e) {
      failed.increment();
      failed(delivery, null, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** Gives back a claimed delivery that was not attempted, so it is due again at once. */
  private void release(Claimed delivery) {
    jdbc.sql(
            "UPDATE webhook_deliveries SET next_attempt_at = now(), attempts = attempts - 1"
                + " WHERE id = :id AND status = 'pending'")
        .param("id", delivery.id())
        .update();
  }

  /**
   * Gives back a claimed delivery that could not be attempted now, due after the first back-off.
   */
  private void postpone(Claimed delivery) {
    jdbc.sql(
            "UPDATE webhook_deliveries SET attempts = attempts - 1,"
                + " next_attempt_at = now() + :waitMs * INTERVAL '1 millisecond'"
                + " WHERE id = :id AND status = 'pending'")
        .param("waitMs", properties.initialBackoff().toMillis())
        .param("id", delivery.id())
        .update();
  }

  private void succeeded(Claimed delivery, int statusCode) {
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql(
                  """
                  UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(),
                         next_attempt_at = NULL, last_status_code = :code, last_error = NULL
                  WHERE id = :id AND status = 'pending'""")
              .param("code", statusCode)
              .param("id", delivery.id())
              .update();
          jdbc.sql(
                  "UPDATE webhook_subscriptions SET failing_since = NULL"
                      + " WHERE id = :id AND failing_since IS NOT NULL")
              .param("id", delivery.subscriptionId())
              .update();
        });
  }

  private void failed(Claimed delivery, Integer statusCode, String error) {
    String shortError =
        error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
    log.debug("Webhook delivery {} failed: {}", delivery.id(), shortError);
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql(
                  "UPDATE webhook_subscriptions SET failing_since = now()"
                      + " WHERE id = :id AND failing_since IS NULL")
              .param("id", delivery.subscriptionId())
              .update();
          boolean disabled =
              jdbc.sql(
                      """
                      UPDATE webhook_subscriptions
                      SET enabled = false, disabled_at = now(), updated_at = now(),
                          disabled_reason = :reason
                      WHERE id = :id AND enabled
                        AND failing_since <= now() - :disableMs * INTERVAL '1 millisecond'
                      RETURNING fleet_id, failing_since""")
                  .param(
                      "reason",
                      "every delivery failed for "
                          + properties.disableAfter()
                          + "; last error: "
                          + shortError)
                  .param("id", delivery.subscriptionId())
                  .param("disableMs", properties.disableAfter().toMillis())
                  .query(
                      (rs, row) ->
                          new WebhookDisabledNotices.Disabled(
                              delivery.subscriptionId(),
                              rs.getObject("fleet_id", UUID.class),
                              rs.getObject("failing_since", OffsetDateTime.class).toInstant()))
                  .optional()
                  .map(
                      notice -> {
                        notices.record(notice);
                        return true;
                      })
                  .orElse(false);
          // The delivery that disabled the webhook is not given up: it waits for the webhook to
          // be enabled again, first of its vehicle's.
          jdbc.sql(
                  """
                  UPDATE webhook_deliveries
                  SET last_status_code = :code, last_error = :error,
                      status = CASE WHEN NOT :disabled AND
                                         due_since <= now() - :giveUpMs * INTERVAL '1 millisecond'
                                    THEN 'failed' ELSE 'pending' END,
                      next_attempt_at =
                        CASE WHEN :disabled THEN now()
                             WHEN due_since <= now() - :giveUpMs * INTERVAL '1 millisecond'
                             THEN NULL ELSE now() + :backoffMs * INTERVAL '1 millisecond' END
                  WHERE id = :id AND status = 'pending'""")
              .param("code", statusCode)
              .param("error", shortError)
              .param("disabled", disabled)
              .param("giveUpMs", properties.giveUpAfter().toMillis())
              .param("backoffMs", backoff(delivery.attempts()).toMillis())
              .param("id", delivery.id())
              .update();
        });
  }

  /**
   * The wait after the given number of failed attempts: the initial back-off doubled for each
   * attempt after the first, at most the maximum, and then between half and all of it at random so
   * that endpoints coming back are not met by every retry at once.
   */
  Duration backoff(int attempts) {
    long initial = properties.initialBackoff().toMillis();
    long max = properties.maxBackoff().toMillis();
    long full = Math.max(1, initial);
    for (int i = 1; i < attempts && full < max; i++) {
      full *= 2;
    }
    full = Math.min(full, max);
    return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
  }

  @Override
  public synchronized void stop() {
    running = false;
    Thread current = thread;
    if (senders != null) {
      // Attempts under way end within their timeouts; claimed ones not yet begun are given back.
      senders.shutdown();
    }
    if (current != null) {
      LockSupport.unpark(current);
      try {
        current.join(5_000);
        if (senders != null) {
          senders.awaitTermination(
              properties
                  .dnsTimeout()
                  .plus(properties.connectTimeout())
                  .plus(properties.responseTimeout())
                  .plusSeconds(5)
                  .toMillis(),
              TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
    senders = null;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
