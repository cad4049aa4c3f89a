package io.fleetline.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.FleetApiTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of the contract, four ways: without a token 401, with a token lacking the scope
 * 403, with another fleet's token 404 (or, for fleet-wide lists, none of this fleet's data), and
 * with the right token 2xx.
 */
class AuthorizationMatrixTest extends FleetApiTest {

  static final String GEOFENCE =
      "{\"name\":\"M\",\"area\":{\"center\":{\"latitude\":52.5,\"longitude\":13.4},\"radiusM\":100}}";

  static final String WEBHOOK =
      "{\"url\":\"http://93.184.216.34/hook\",\"eventTypes\":[\"trip_started\"]}";

  final HttpClient http = HttpClient.newHttpClient();
  String writeOnlyToken;
  String vehicle;
  String device;
  String trip;
  String geofence;
  String person;
  String webhook;
  long delivery;

  /** One endpoint; {@code ownedPath} creates what the request needs (fresh for deletions). */
  record Case(
      String method,
      Supplier<String> ownedPath,
      String body,
      Role wrongScope,
      Role right,
      boolean fleetWide) {}

  enum Role {
    ADMIN,
    FLEET,
    READ_ONLY,
    WRITE_ONLY
  }

  @BeforeAll
  void fixtures() throws Exception {
    writeOnlyToken = clientToken(fleetId, "fleet.write");
    var created =
        api.post(
                "/api/v1/vehicles",
                fleetToken,
                "{\"name\":\"Matrix\",\"devices\":[{\"protocol\":\"http\",\"identifier\":\"matrix-"
                    + uuid()
                    + "\"}]}")
            .json();
    vehicle = created.get("id").stringValue();
    device = created.get("devices").get(0).get("id").stringValue();
    insertLatestPosition(vehicle, fleetId, "2026-11-26T08:00:00Z", 52.5, 13.4);
    trip = uuid();
    jdbc.sql(
            "INSERT INTO trips (id, vehicle_id, fleet_id, started_at, ended_at, start_location,"
                + " end_location, distance_m, duration_s, path, point_count) VALUES (?::uuid,"
                + " ?::uuid, ?::uuid, '2026-11-26T06:00:00Z', '2026-11-26T06:10:00Z',"
                + " ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326),"
                + " ST_SetSRID(ST_MakePoint(13.5, 52.5), 4326), 7000, 600,"
                + " ST_GeomFromText('LINESTRING(13.4 52.5, 13.5 52.5)', 4326), 2)")
        .params(trip, vehicle, fleetId)
        .update();
    geofence = newGeofence();
    person = newPerson();
    webhook = newWebhook();
    delivery =
        jdbc.sql(
                "INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, vehicle_id,"
                    + " ordering_key, payload, status) VALUES (?::uuid, 1, 'trip_started', ?::uuid,"
                    + " ?::uuid, '{}', 'failed') RETURNING id")
            .params(webhook, vehicle, vehicle)
            .query(Long.class)
            .single();
  }

  Stream<Arguments> endpoints() {
    String v = "/api/v1/vehicles/";
    String day = "from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z";
    return Stream.of(
        row(
            "POST",
            "/api/v1/admin/fleets",
            () -> "/api/v1/admin/fleets",
            "{\"name\":\"M\"}",
            Role.FLEET,
            Role.ADMIN,
            true),
        row(
            "POST",
            "/api/v1/admin/fleets/{fleetId}/clients",
            () -> "/api/v1/admin/fleets/" + fleetId + "/clients",
            "{\"name\":\"M\",\"scopes\":[\"fleet.read\"]}",
            Role.WRITE_ONLY,
            Role.FLEET,
            false),
        row(
            "DELETE",
            "/api/v1/admin/fleets/{fleetId}/clients/{client}",
            () -> "/api/v1/admin/fleets/" + fleetId + "/clients/" + newClient(),
            null,
            Role.WRITE_ONLY,
            Role.FLEET,
            false),
        admin(
            "POST",
            "/api/v1/admin/fleets/{fleetId}/users",
            () -> "/api/v1/admin/fleets/" + fleetId + "/users",
            "{\"email\":\"m-"
                + uuid()
                + "@matrix.test\",\"displayName\":\"M\",\"role\":\"viewer\"}"),
        admin(
            "GET",
            "/api/v1/admin/fleets/{fleetId}/users",
            () -> "/api/v1/admin/fleets/" + fleetId + "/users",
            null),
        admin(
            "GET",
            "/api/v1/admin/fleets/{fleetId}/users/{user}",
            () -> "/api/v1/admin/fleets/" + fleetId + "/users/" + person,
            null),
        admin(
            "PATCH",
            "/api/v1/admin/fleets/{fleetId}/users/{user}",
            () -> "/api/v1/admin/fleets/" + fleetId + "/users/" + person,
            "{\"displayName\":\"M2\"}"),
        admin(
            "DELETE",
            "/api/v1/admin/fleets/{fleetId}/users/{user}",
            () -> "/api/v1/admin/fleets/" + fleetId + "/users/" + newPerson(),
            null),
        row(
            "GET",
            "/api/v1/admin/fleets/{fleetId}",
            () -> "/api/v1/admin/fleets/" + fleetId,
            null,
            Role.READ_ONLY,
            Role.FLEET,
            false),
        row(
            "PATCH",
            "/api/v1/admin/fleets/{fleetId}",
            () -> "/api/v1/admin/fleets/" + fleetId,
            "{\"timeZone\":\"UTC\"}",
            Role.WRITE_ONLY,
            Role.FLEET,
            false),
        fleetWideWrite("POST", "/api/v1/vehicles", "{\"name\":\"M\"}"),
        fleetWideRead("/api/v1/vehicles"),
        read("/api/v1/vehicles/{vehicle}", () -> v + vehicle),
        write("PATCH", "/api/v1/vehicles/{vehicle}", () -> v + vehicle, "{\"name\":\"M2\"}"),
        write("DELETE", "/api/v1/vehicles/{vehicle}", () -> v + newVehicle(), null),
        write(
            "POST",
            "/api/v1/vehicles/{vehicle}/devices/{device}/token",
            () -> v + vehicle + "/devices/" + device + "/token",
            null),
        read("/api/v1/vehicles/{vehicle}/position", () -> v + vehicle + "/position"),
        fleetWideRead("/api/v1/positions?bbox=-180,-90,180,90"),
        fleetWideRead("/api/v1/positions?near=52.5,13.4&radiusM=1000"),
        read("/api/v1/vehicles/{vehicle}/track?" + day, () -> v + vehicle + "/track?" + day),
        read("/api/v1/vehicles/{vehicle}/trips", () -> v + vehicle + "/trips"),
        read("/api/v1/trips/{trip}", () -> "/api/v1/trips/" + trip),
        read("/api/v1/vehicles/{vehicle}/stops", () -> v + vehicle + "/stops"),
        read(
            "/api/v1/vehicles/{vehicle}/summaries",
            () -> v + vehicle + "/summaries?from=2026-11-26&to=2026-11-27"),
        read("/api/v1/vehicles/{vehicle}/status", () -> v + vehicle + "/status"),
        fleetWideRead("/api/v1/reports/daily?date=2026-11-26"),
        fleetWideRead("/api/v1/geofences"),
        fleetWideWrite("POST", "/api/v1/geofences", GEOFENCE),
        read("/api/v1/geofences/{geofence}", () -> "/api/v1/geofences/" + geofence),
        write(
            "PUT", "/api/v1/geofences/{geofence}", () -> "/api/v1/geofences/" + geofence, GEOFENCE),
        write(
            "DELETE",
            "/api/v1/geofences/{geofence}",
            () -> "/api/v1/geofences/" + newGeofence(),
            null),
        fleetWideRead("/api/v1/events"),
        row(
            "GET",
            "/api/v1/webhooks",
            () -> "/api/v1/webhooks",
            null,
            Role.READ_ONLY,
            Role.FLEET,
            true),
        row(
            "POST",
            "/api/v1/webhooks",
            () -> "/api/v1/webhooks",
            WEBHOOK,
            Role.WRITE_ONLY,
            Role.FLEET,
            true),
        admin("GET", "/api/v1/webhooks/{webhook}", () -> "/api/v1/webhooks/" + webhook, null),
        admin(
            "PATCH",
            "/api/v1/webhooks/{webhook}",
            () -> "/api/v1/webhooks/" + webhook,
            "{\"eventTypes\":[\"trip_ended\"]}"),
        admin(
            "DELETE", "/api/v1/webhooks/{webhook}", () -> "/api/v1/webhooks/" + newWebhook(), null),
        admin(
            "POST",
            "/api/v1/webhooks/{webhook}/rotate-secret",
            () -> "/api/v1/webhooks/" + webhook + "/rotate-secret",
            null),
        admin(
            "GET",
            "/api/v1/webhooks/{webhook}/deliveries",
            () -> "/api/v1/webhooks/" + webhook + "/deliveries",
            null),
        admin(
            "POST",
            "/api/v1/webhooks/{webhook}/deliveries/{delivery}/replay",
            () -> "/api/v1/webhooks/" + webhook + "/deliveries/" + delivery + "/replay",
            null),
        fleetWideRead("/api/v1/live"));
  }

  /** A GET of one of the fleet's objects: fleet.read needed, another fleet's is 404. */
  private static Arguments read(String label, Supplier<String> path) {
    return row("GET", label, path, null, Role.WRITE_ONLY, Role.READ_ONLY, false);
  }

  /** A GET of a fleet-wide list, at a fixed path: another fleet sees none of ours. */
  private static Arguments fleetWideRead(String path) {
    return row("GET", path, () -> path, null, Role.WRITE_ONLY, Role.READ_ONLY, true);
  }

  /** A change to one of the fleet's objects: fleet.write needed, another fleet's is 404. */
  private static Arguments write(String method, String label, Supplier<String> path, String body) {
    return row(method, label, path, body, Role.READ_ONLY, Role.FLEET, false);
  }

  /**
   * An administration of one of the fleet's webhooks: fleet.admin needed (read or write alone is
   * refused), another fleet's is 404.
   */
  private static Arguments admin(String method, String label, Supplier<String> path, String body) {
    Role lacksAdmin = method.equals("GET") ? Role.READ_ONLY : Role.WRITE_ONLY;
    return row(method, label, path, body, lacksAdmin, Role.FLEET, false);
  }

  /** A creation in the caller's own fleet, at a fixed path. */
  private static Arguments fleetWideWrite(String method, String path, String body) {
    return row(method, path, () -> path, body, Role.READ_ONLY, Role.FLEET, true);
  }

  private static Arguments row(
      String method,
      String label,
      Supplier<String> path,
      String body,
      Role wrongScope,
      Role right,
      boolean fleetWide) {
    return Arguments.of(
        Named.of(method + " " + label, new Case(method, path, body, wrongScope, right, fleetWide)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void everyEndpointAnswers401403404And2xx(Case c) throws Exception {
    String path = c.ownedPath().get();

    assertThat(call(c, path, null).status()).as("no token: " + path).isEqualTo(401);
    assertThat(call(c, path, token(c.wrongScope())).status())
        .as("wrong scope: " + path)
        .isEqualTo(403);
    Answer other = call(c, path, otherFleetToken);
    if (c.right() == Role.ADMIN) {
      // creating fleets belongs to no fleet: a fleet's token lacks the scope, as checked above
    } else if (c.fleetWide()) {
      assertThat(other.status()).as("other fleet, fleet-wide: " + path).isBetween(200, 299);
      assertThat(other.body()).as("other fleet sees none of ours").doesNotContain(vehicle);
    } else {
      assertThat(other.status()).as("other fleet: " + path).isEqualTo(404);
    }
    Answer right = call(c, path, token(c.right()));
    assertThat(right.status()).as("right token: " + path + " " + right.body()).isBetween(200, 299);
  }

  private String token(Role role) {
    return switch (role) {
      case ADMIN -> adminToken;
      case FLEET -> fleetToken;
      case READ_ONLY -> readOnlyToken;
      case WRITE_ONLY -> writeOnlyToken;
    };
  }

  record Answer(int status, String body) {}

  private Answer call(Case c, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                c.method(),
                c.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(c.body()));
    if (c.body() != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      boolean stream =
          response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
      // A live stream never ends: its status is the answer.
      return new Answer(
          response.statusCode(),
          stream ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private String newVehicle() {
    return created(() -> createVehicle(fleetToken, "Doomed"));
  }

  private String newGeofence() {
    return created(
        () -> api.post("/api/v1/geofences", fleetToken, GEOFENCE).json().get("id").stringValue());
  }

  private String newWebhook() {
    return created(
        () -> api.post("/api/v1/webhooks", fleetToken, WEBHOOK).json().get("id").stringValue());
  }

  private String newPerson() {
    return created(
        () ->
            api.post(
                    "/api/v1/admin/fleets/" + fleetId + "/users",
                    fleetToken,
                    "{\"email\":\"p-"
                        + uuid()
                        + "@matrix.test\",\"displayName\":\"P\",\"role\":\"viewer\"}")
                .json()
                .get("id")
                .stringValue());
  }

  private String newClient() {
    return created(() -> createClient(fleetId, "fleet.read").get("clientId").stringValue());
  }

  /** The id of something a case creates fresh (it deletes it). */
  private static String created(Callable<String> create) {
    try {
      return create.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
