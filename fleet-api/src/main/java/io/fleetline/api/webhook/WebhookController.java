package io.fleetline.api.webhook;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.paging.Page;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.problem.ApiProblem;
import io.fleetline.api.webhook.WebhookViews.DeliveryView;
import io.fleetline.api.webhook.WebhookViews.WebhookPatch;
import io.fleetline.api.webhook.WebhookViews.WebhookRequest;
import io.fleetline.api.webhook.WebhookViews.WebhookView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The fleet's webhook subscriptions, their secrets and their delivery logs (fleet.admin). */
@RestController
@Tag(name = "Webhooks", description = "Signed event deliveries to the fleet's endpoints")
@RequestMapping("/api/v1/webhooks")
class WebhookController {

  private static final String COLUMNS =
      """
      id, url, event_types, vehicle_ids, enabled, failing_since, disabled_at, disabled_reason,
      CASE WHEN previous_secret_until > now() THEN previous_secret_until END AS previous_until,
      created_at, updated_at""";

  private static final String DELIVERY_COLUMNS =
      """
      id, event_id, event_type, vehicle_id, status, attempts, created_at, last_attempt_at,
      last_status_code, last_error, CASE WHEN status = 'pending' THEN next_attempt_at END AS next,
      delivered_at""";

  private final JdbcClient jdbc;
  private final CallerFleet callerFleet;
  private final Destinations destinations;
  private final SecretVault vault;
  private final WebhookProperties properties;
  private final DeliveryDispatcher dispatcher;
  private final TransactionTemplate transactions;

  WebhookController(
      JdbcClient jdbc,
      CallerFleet callerFleet,
      Destinations destinations,
      SecretVault vault,
      WebhookProperties properties,
      DeliveryDispatcher dispatcher,
      TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.callerFleet = callerFleet;
    this.destinations = destinations;
    this.vault = vault;
    this.properties = properties;
    this.dispatcher = dispatcher;
    this.transactions = transactions;
  }

  // Create and update check the URL (a DNS lookup of up to the DNS timeout) before their
  // transaction begins, so that no database connection waits on a fleet's DNS server.
  @PostMapping
  @Operation(
      operationId = "createWebhook",
      summary = "Subscribe an endpoint to the fleet's events; the answer shows its secret once")
  ResponseEntity<WebhookView> create(
      @Valid @RequestBody WebhookRequest request, Authentication caller) {
    UUID fleetId = callerFleet.of(caller);
    String[] types = eventTypes(request.eventTypes());
    UUID[] vehicles = vehicles(fleetId, request.vehicleIds());
    checkDestination(request.url(), fleetId);
    return transactions.execute(status -> insert(fleetId, request, types, vehicles));
  }

  private ResponseEntity<WebhookView> insert(
      UUID fleetId, WebhookRequest request, String[] types, UUID[] vehicles) {
    // Serializes creations of one fleet, so that two at once cannot both pass the limit.
    jdbc.sql("SELECT id FROM fleets WHERE id = ? FOR NO KEY UPDATE")
        .param(fleetId)
        .query()
        .listOfRows();
    long existing =
        jdbc.sql("SELECT count(*) FROM webhook_subscriptions WHERE fleet_id = ?")
            .param(fleetId)
            .query(Long.class)
            .single();
    if (existing >= properties.maxPerFleet()) {
      throw ApiProblem.conflict(
          "The fleet has " + existing + " webhooks, the most it may have; delete one first.");
    }
    UUID id = UUID.randomUUID();
    byte[] secret = vault.newSecret();
    jdbc.sql(
            """
            INSERT INTO webhook_subscriptions (id, fleet_id, url, event_types, vehicle_ids, secret)
            VALUES (:id, :fleet, :url, CAST(:types AS text[]), CAST(:vehicles AS uuid[]), :secret)""")
        .param("id", id)
        .param("fleet", fleetId)
        .param("url", request.url())
        .param("types", types)
        .param("vehicles", vehicles)
        .param("secret", vault.seal(id, secret))
        .update();
    return ResponseEntity.created(URI.create("/api/v1/webhooks/" + id))
        .body(find(fleetId, id).withSecret(SecretVault.display(secret)));
  }

  @GetMapping
  @Operation(operationId = "listWebhooks", summary = "List the fleet's webhooks")
  Page<WebhookView> list(Paging paging, Authentication caller) {
    List<WebhookView> fetched =
        jdbc.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM webhook_subscriptions WHERE fleet_id = :fleet"
                    + " AND (CAST(:after AS uuid) IS NULL OR id > :after)"
                    + " ORDER BY id LIMIT :limit")
            .param("fleet", callerFleet.of(caller))
            .param("after", paging.afterId())
            .param("limit", paging.fetch())
            .query((rs, row) -> view(rs))
            .list();
    return paging.page(fetched, w -> w.id().toString());
  }

  @GetMapping("/{webhookId}")
  @Operation(operationId = "getWebhook", summary = "Get a webhook")
  WebhookView get(@PathVariable UUID webhookId, Authentication caller) {
    return find(callerFleet.of(caller), webhookId);
  }

  @PatchMapping("/{webhookId}")
  @Operation(
      operationId = "updateWebhook",
      summary = "Change a webhook's URL, event types or vehicles, or enable or disable it")
  WebhookView update(
      @PathVariable UUID webhookId, @Valid @RequestBody WebhookPatch patch, Authentication caller) {
    UUID fleetId = callerFleet.of(caller);
    find(fleetId, webhookId);
    String[] types = patch.eventTypes() == null ? null : eventTypes(patch.eventTypes());
    UUID[] vehicles = patch.vehicleIds() == null ? null : vehicles(fleetId, patch.vehicleIds());
    if (patch.url() != null) {
      checkDestination(patch.url(), fleetId);
    }
    return transactions.execute(status -> change(fleetId, webhookId, patch, types, vehicles));
  }

  private WebhookView change(
      UUID fleetId, UUID webhookId, WebhookPatch patch, String[] types, UUID[] vehicles) {
    jdbc.sql(
            """
            UPDATE webhook_subscriptions SET
              url = COALESCE(:url, url),
              event_types = COALESCE(CAST(:types AS text[]), event_types),
              vehicle_ids = CASE WHEN CAST(:vehiclesGiven AS boolean) THEN CAST(:vehicles AS uuid[])
                                 ELSE vehicle_ids END,
              enabled = COALESCE(CAST(:enabled AS boolean), enabled),
              failing_since = CASE WHEN CAST(:enabled AS boolean) IS NOT NULL THEN NULL
                                   ELSE failing_since END,
              disabled_at = CASE WHEN CAST(:enabled AS boolean) THEN NULL
                                 WHEN NOT CAST(:enabled AS boolean) AND enabled THEN now() ELSE disabled_at END,
              disabled_reason = CASE WHEN CAST(:enabled AS boolean) THEN NULL
                                     WHEN NOT CAST(:enabled AS boolean) AND enabled THEN 'disabled by the fleet'
                                     ELSE disabled_reason END,
              updated_at = now()
            WHERE id = :id AND fleet_id = :fleet""")
        .param("url", patch.url())
        .param("types", types)
        .param("vehiclesGiven", patch.vehicleIds() != null)
        .param("vehicles", vehicles)
        .param("enabled", patch.enabled())
        .param("id", webhookId)
        .param("fleet", fleetId)
        .update();
    if (Boolean.TRUE.equals(patch.enabled())) {
      // Pending deliveries get a new retry period, and go out now, oldest of each vehicle first;
      // one that a dispatcher is sending keeps its lease, or it would be sent twice at once.
      jdbc.sql(
              "UPDATE webhook_deliveries SET due_since = now(),"
                  + " next_attempt_at = CASE WHEN "
                  + DeliveryDispatcher.LEASED
                  + " THEN next_attempt_at ELSE LEAST(next_attempt_at, now()) END"
                  + " WHERE subscription_id = :webhook AND status = 'pending'")
          .param("webhook", webhookId)
          .param("leaseMs", properties.lease().toMillis())
          .update();
      dispatcher.wake();
    }
    return find(fleetId, webhookId);
  }

  @DeleteMapping("/{webhookId}")
  @Operation(operationId = "deleteWebhook", summary = "Delete a webhook and its delivery log")
  ResponseEntity<Void> delete(@PathVariable UUID webhookId, Authentication caller) {
    int deleted =
        jdbc.sql("DELETE FROM webhook_subscriptions WHERE id = ? AND fleet_id = ?")
            .params(webhookId, callerFleet.of(caller))
            .update();
    if (deleted == 0) {
      throw notFound(webhookId);
    }
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{webhookId}/rotate-secret")
  @Transactional
  @Operation(
      operationId = "rotateWebhookSecret",
      summary =
          "Replace a webhook's secret; the answer shows the new one once, and the old one keeps"
              + " signing alongside it for the overlap")
  WebhookView rotate(@PathVariable UUID webhookId, Authentication caller) {
    UUID fleetId = callerFleet.of(caller);
    String current =
        jdbc.sql(
                "SELECT secret FROM webhook_subscriptions WHERE id = ? AND fleet_id = ? FOR UPDATE")
            .params(webhookId, fleetId)
            .query(String.class)
            .optional()
            .orElseThrow(() -> notFound(webhookId));
    byte[] secret = vault.newSecret();
    jdbc.sql(
            """
            UPDATE webhook_subscriptions
            SET secret = :secret, previous_secret = :previous,
                previous_secret_until = now() + :overlapMs * INTERVAL '1 millisecond',
                updated_at = now()
            WHERE id = :id""")
        .param("secret", vault.seal(webhookId, secret))
        .param("previous", current)
        .param("overlapMs", properties.rotationOverlap().toMillis())
        .param("id", webhookId)
        .update();
    return find(fleetId, webhookId).withSecret(SecretVault.display(secret));
  }

  @GetMapping("/{webhookId}/deliveries")
  @Operation(
      operationId = "listWebhookDeliveries",
      summary = "The webhook's delivery log, newest first")
  Page<DeliveryView> deliveries(
      @PathVariable UUID webhookId,
      @RequestParam(required = false) String status,
      Paging paging,
      Authentication caller) {
    find(callerFleet.of(caller), webhookId);
    if (status != null && !Set.of("pending", "delivered", "failed").contains(status)) {
      throw ApiProblem.badRequest("status", "status must be one of pending, delivered, failed");
    }
    List<DeliveryView> fetched =
        jdbc.sql(
                "SELECT "
                    + DELIVERY_COLUMNS
                    + " FROM webhook_deliveries WHERE subscription_id = :webhook"
                    + " AND (CAST(:after AS bigint) IS NULL OR id < :after)"
                    + " AND (CAST(:status AS text) IS NULL OR status = :status)"
                    + " ORDER BY id DESC LIMIT :limit")
            .param("webhook", webhookId)
            .param("after", paging.afterNumber())
            .param("status", status)
            .param("limit", paging.fetch())
            .query((rs, row) -> delivery(rs))
            .list();
    return paging.page(fetched, d -> Long.toString(d.id()));
  }

  @PostMapping("/{webhookId}/deliveries/{deliveryId}/replay")
  @Operation(
      operationId = "replayWebhookDelivery",
      summary = "Send a delivery again, with its original webhook-id, whatever its status")
  ResponseEntity<DeliveryView> replay(
      @PathVariable UUID webhookId, @PathVariable long deliveryId, Authentication caller) {
    WebhookView webhook = find(callerFleet.of(caller), webhookId);
    if (!webhook.enabled()) {
      throw ApiProblem.conflict("The webhook is disabled; enable it before replaying.");
    }
    DeliveryView replayed =
        jdbc.sql(
                "UPDATE webhook_deliveries SET next_attempt_at = CASE WHEN status = 'pending' AND "
                    + DeliveryDispatcher.LEASED
                    + " THEN next_attempt_at ELSE now() END,"
                    + " status = 'pending', due_since = now(), delivered_at = NULL"
                    + " WHERE id = :id AND subscription_id = :webhook RETURNING "
                    + DELIVERY_COLUMNS)
            .param("id", deliveryId)
            .param("webhook", webhookId)
            .param("leaseMs", properties.lease().toMillis())
            .query((rs, row) -> delivery(rs))
            .optional()
            .orElseThrow(() -> ApiProblem.notFound("Delivery " + deliveryId));
    dispatcher.wake();
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(replayed);
  }

  private void checkDestination(String url, UUID fleetId) {
    try {
      destinations.check(url, fleetId);
    } catch (Destinations.Busy e) {
      throw new ApiProblem(
          HttpStatus.SERVICE_UNAVAILABLE,
          "busy",
          "Busy",
          "The URL's host cannot be looked up now (" + e.getMessage() + "); try again shortly.");
    } catch (Destinations.Refused e) {
      throw ApiProblem.badRequest("url", e.getMessage());
    }
  }

  private static String[] eventTypes(List<String> requested) {
    Set<String> types = new TreeSet<>();
    for (String type : requested) {
      if (type == null || !WebhookEventTypes.KNOWN.contains(type)) {
        throw ApiProblem.badRequest(
            "eventTypes",
            "unknown event type '" + type + "'; one of " + new TreeSet<>(WebhookEventTypes.KNOWN));
      }
      types.add(type);
    }
    return types.toArray(String[]::new);
  }

  /** The filter's vehicles, all of the fleet's own; {@code null} for every vehicle. */
  private UUID[] vehicles(UUID fleetId, List<UUID> requested) {
    if (requested == null || requested.isEmpty()) {
      return null;
    }
    UUID[] wanted = requested.stream().distinct().toArray(UUID[]::new);
    if (Arrays.stream(wanted).anyMatch(v -> v == null)) {
      throw ApiProblem.badRequest("vehicleIds", "vehicleIds must not contain null");
    }
    long own =
        jdbc.sql(
                "SELECT count(*) FROM vehicles WHERE fleet_id = :fleet AND id = ANY (CAST(:ids AS uuid[]))")
            .param("fleet", fleetId)
            .param("ids", wanted)
            .query(Long.class)
            .single();
    if (own != wanted.length) {
      throw ApiProblem.badRequest(
          "vehicleIds", "vehicleIds names a vehicle the fleet does not have");
    }
    return wanted;
  }

  private WebhookView find(UUID fleetId, UUID webhookId) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM webhook_subscriptions WHERE id = ? AND fleet_id = ?")
        .params(webhookId, fleetId)
        .query((rs, row) -> view(rs))
        .optional()
        .orElseThrow(() -> notFound(webhookId));
  }

  private static ApiProblem notFound(UUID webhookId) {
    return ApiProblem.notFound("Webhook " + webhookId);
  }

  private static WebhookView view(ResultSet rs) throws SQLException {
    return new WebhookView(
        rs.getObject("id", UUID.class),
        rs.getString("url"),
        List.of((String[]) rs.getArray("event_types").getArray()),
        uuids(rs.getArray("vehicle_ids")),
        rs.getBoolean("enabled"),
        instant(rs, "failing_since"),
        instant(rs, "disabled_at"),
        rs.getString("disabled_reason"),
        instant(rs, "previous_until"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        null);
  }

  private static DeliveryView delivery(ResultSet rs) throws SQLException {
    return new DeliveryView(
        rs.getLong("id"),
        rs.getLong("event_id"),
        rs.getString("event_type"),
        rs.getObject("vehicle_id", UUID.class),
        rs.getString("status"),
        rs.getInt("attempts"),
        instant(rs, "created_at"),
        instant(rs, "last_attempt_at"),
        (Integer) rs.getObject("last_status_code"),
        rs.getString("last_error"),
        instant(rs, "next"),
        instant(rs, "delivered_at"));
  }

  private static List<UUID> uuids(Array array) throws SQLException {
    return array == null ? null : List.of((UUID[]) array.getArray());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
