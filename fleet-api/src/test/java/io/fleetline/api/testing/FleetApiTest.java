package io.fleetline.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.FleetApiApplication;
import io.fleetline.common.Topics;
import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The base of fleet-api's integration tests: the real service on a random port with its real
 * authorization server, one real PostGIS database and the real Kafka broker, shared by every test
 * class through Spring's context cache. Each class gets its own two fleets, so classes do not see
 * each other's data.
 */
@SpringBootTest(
    classes = FleetApiApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.auth.generate-signing-key=true",
      "fleetline.auth.issuer=http://fleetline.test",
      "fleetline.auth.admin-client-id=test-admin",
      "fleetline.auth.admin-client-secret=" + FleetApiTest.ADMIN_SECRET,
      "fleetline.api.rate-limit.requests-per-second=100000",
      "fleetline.api.cors.allowed-origins=https://map.fleetline.test"
    })
@EmbeddedKafka(
    partitions = 1,
    topics = {Topics.PINGS, Topics.EVENTS})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FleetApiTest {

  public static final String ADMIN_SECRET = "admin-secret-for-tests-only";
  private static final TestDatabase database = TestPostgis.newDatabase();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    database.registerIn(registry);
  }

  @LocalServerPort protected int port;

  // The broker of this class's own context: the spring.embedded.kafka.brokers property names the
  // broker of whichever context started last.
  @Autowired private EmbeddedKafkaBroker kafka;

  protected String brokers;

  @Autowired protected JdbcClient jdbc;

  protected ApiClient api;
  protected String adminToken;
  protected String fleetId;

  /** All fleet scopes of {@link #fleetId}. */
  protected String fleetToken;

  protected String readOnlyToken;
  protected String otherFleetId;
  protected String otherFleetToken;

  @BeforeAll
  void fleets() throws Exception {
    brokers = kafka.getBrokersAsString();
    api = new ApiClient("http://127.0.0.1:" + port);
    adminToken = api.token("test-admin", ADMIN_SECRET, "platform.admin");
    fleetId = createFleet("Fleet A " + getClass().getSimpleName());
    fleetToken = clientToken(fleetId, "fleet.read fleet.write fleet.admin");
    readOnlyToken = clientToken(fleetId, "fleet.read");
    otherFleetId = createFleet("Fleet B " + getClass().getSimpleName());
    otherFleetToken = clientToken(otherFleetId, "fleet.read fleet.write fleet.admin");
  }

  protected String createFleet(String name) throws Exception {
    ApiClient.Response response =
        api.post("/api/v1/admin/fleets", adminToken, "{\"name\":\"" + name + "\"}");
    assertThat(response.status()).isEqualTo(201);
    return response.json().get("id").stringValue();
  }

  /** Creates a client of the fleet with the given scopes and returns a token for all of them. */
  protected String clientToken(String fleet, String scopes) throws Exception {
    JsonNode client = createClient(fleet, scopes);
    return api.token(
        client.get("clientId").stringValue(), client.get("clientSecret").stringValue(), scopes);
  }

  protected JsonNode createClient(String fleet, String scopes) throws Exception {
    String json = "[\"" + String.join("\",\"", scopes.split(" ")) + "\"]";
    ApiClient.Response response =
        api.post(
            "/api/v1/admin/fleets/" + fleet + "/clients",
            adminToken,
            "{\"name\":\"integration\",\"scopes\":" + json + "}");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json();
  }

  /** Registers a vehicle without devices in the token's fleet and returns its id. */
  protected String createVehicle(String token, String name) throws Exception {
    ApiClient.Response response =
        api.post("/api/v1/vehicles", token, "{\"name\":\"" + name + "\"}");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("id").stringValue();
  }

  /** Stores a latest position directly, as routing would. */
  protected void insertLatestPosition(
      String vehicleId, String fleet, String recordedAt, double lat, double lon) {
    jdbc.sql(
            "INSERT INTO latest_positions (vehicle_id, fleet_id, recorded_at, received_at,"
                + " stored_at, location, speed_kmh, ignition, protocol) VALUES (?::uuid, ?::uuid,"
                + " ?::timestamptz, ?::timestamptz, now(), ST_SetSRID(ST_MakePoint(?, ?), 4326),"
                + " 30, true, 'http') ON CONFLICT (vehicle_id) DO UPDATE SET location ="
                + " EXCLUDED.location, recorded_at = EXCLUDED.recorded_at")
        .params(vehicleId, fleet, recordedAt, recordedAt, lon, lat)
        .update();
  }

  protected static String uuid() {
    return UUID.randomUUID().toString();
  }
}
