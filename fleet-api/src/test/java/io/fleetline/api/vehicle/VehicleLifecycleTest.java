package io.fleetline.api.vehicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.api.testing.RegistryTopic;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.common.FleetlineJson;
import io.fleetline.common.MqttPasswordHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Changing, re-keying and deleting vehicles, and what ingest hears about it. */
class VehicleLifecycleTest extends FleetApiTest {

  @Autowired DataSource dataSource;

  @Test
  void patchChangesOnlyTheGivenFieldsAndAnEmptyValueClearsIt() throws Exception {
    String id =
        api.post(
                "/api/v1/vehicles",
                fleetToken,
                "{\"name\":\"Van\",\"vin\":\"V1\",\"plate\":\"P1\"}")
            .json()
            .get("id")
            .stringValue();

    ApiClient.Response renamed =
        api.patch("/api/v1/vehicles/" + id, fleetToken, "{\"name\":\"Van 2\",\"plate\":\"\"}");

    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    JsonNode vehicle = api.get("/api/v1/vehicles/" + id, readOnlyToken).json();
    assertThat(vehicle.get("name").stringValue()).isEqualTo("Van 2");
    assertThat(vehicle.get("vin").stringValue()).isEqualTo("V1");
    assertThat(vehicle.get("plate").isNull()).isTrue();
    assertThat(api.patch("/api/v1/vehicles/" + id, otherFleetToken, "{\"name\":\"x\"}").status())
        .isEqualTo(404);
    ApiClient.Response blank = api.patch("/api/v1/vehicles/" + id, fleetToken, "{\"name\":\"\"}");
    assertThat(blank.status()).isEqualTo(400);
    assertThat(blank.json().get("field").stringValue()).isEqualTo("name");
  }

  @Test
  void rotatingAnHttpDeviceTokenShowsTheNewTokenOnceAndPublishesItsHash() throws Exception {
    JsonNode vehicle =
        api.post(
                "/api/v1/vehicles",
                fleetToken,
                "{\"name\":\"Rotating\",\"devices\":[{\"protocol\":\"http\",\"identifier\":\"rot-1\"},"
                    + "{\"protocol\":\"osmand\",\"identifier\":\"rot-2\"}]}")
            .json();
    String vehicleId = vehicle.get("id").stringValue();
    String deviceId = vehicle.get("devices").get(0).get("id").stringValue();
    String oldToken = vehicle.get("devices").get(0).get("token").stringValue();

    ApiClient.Response rotated =
        api.post(
            "/api/v1/vehicles/" + vehicleId + "/devices/" + deviceId + "/token", fleetToken, "");

    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String newToken = rotated.json().get("token").stringValue();
    assertThat(newToken).startsWith("fld_").isNotEqualTo(oldToken);
    RegistryTopic.awaitRecord(
        brokers,
        "http:rot-1",
        r ->
            r.value() != null
                && DeviceTokens.sha256Hex(newToken)
                    .equals(FleetlineJson.read(r.value(), DeviceRegistration.class).tokenSha256()));
    String osmandId = vehicle.get("devices").get(1).get("id").stringValue();
    assertThat(
            api.post(
                    "/api/v1/vehicles/" + vehicleId + "/devices/" + osmandId + "/token",
                    fleetToken,
                    "")
                .status())
        .as("an osmand device has no token")
        .isEqualTo(409);
    assertThat(
            api.post(
                    "/api/v1/vehicles/" + vehicleId + "/devices/" + deviceId + "/token",
                    otherFleetToken,
                    "")
                .status())
        .isEqualTo(404);
  }

  @Test
  void deletingAVehiclePublishesTombstonesForItsDevicesAndFreesTheirIdentifiers() throws Exception {
    String body =
        "{\"name\":\"Doomed\",\"devices\":[{\"protocol\":\"mqtt\",\"identifier\":\"doomed-1\"}]}";
    String vehicleId =
        api.post("/api/v1/vehicles", fleetToken, body).json().get("id").stringValue();
    insertLatestPosition(vehicleId, fleetId, "2026-11-26T08:00:00Z", 52.5, 13.4);

    assertThat(api.delete("/api/v1/vehicles/" + vehicleId, otherFleetToken).status())
        .isEqualTo(404);
    assertThat(api.delete("/api/v1/vehicles/" + vehicleId, fleetToken).status()).isEqualTo(204);

    assertThat(api.get("/api/v1/vehicles/" + vehicleId, fleetToken).status()).isEqualTo(404);
    assertThat(
            jdbc.sql("SELECT count(*) FROM latest_positions WHERE vehicle_id = ?::uuid")
                .param(vehicleId)
                .query(Long.class)
                .single())
        .isZero();
    RegistryTopic.awaitRecord(brokers, "mqtt:doomed-1", r -> r.value() == null);
    assertThat(api.post("/api/v1/vehicles", fleetToken, body).status())
        .as("the identifier is free again")
        .isEqualTo(201);
  }

  @Test
  void anMqttDeviceGetsATokenOnceAndItsBrokerPasswordHashReachesTheRegistry() throws Exception {
    JsonNode vehicle =
        api.post(
                "/api/v1/vehicles",
                fleetToken,
                "{\"name\":\"Broker\",\"devices\":[{\"protocol\":\"mqtt\","
                    + "\"identifier\":\"mq-login-1\"}]}")
            .json();
    String vehicleId = vehicle.get("id").stringValue();
    String deviceId = vehicle.get("devices").get(0).get("id").stringValue();
    String token = vehicle.get("devices").get(0).get("token").stringValue();
    assertThat(token).startsWith("fld_");
    assertThat(api.get("/api/v1/vehicles/" + vehicleId, fleetToken).body())
        .as("the token is shown only once")
        .doesNotContain(token);
    RegistryTopic.awaitRecord(brokers, "mqtt:mq-login-1", r -> brokerAccepts(r.value(), token));

    ApiClient.Response rotated =
        api.post(
            "/api/v1/vehicles/" + vehicleId + "/devices/" + deviceId + "/token", fleetToken, "");

    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String newToken = rotated.json().get("token").stringValue();
    RegistryTopic.awaitRecord(brokers, "mqtt:mq-login-1", r -> brokerAccepts(r.value(), newToken));
  }

  @Test
  void anMqttIdentifierWithAColonIsRejectedSinceItIsTheBrokerUsername() throws Exception {
    ApiClient.Response response =
        api.post(
            "/api/v1/vehicles",
            fleetToken,
            "{\"name\":\"Colon\",\"devices\":[{\"protocol\":\"mqtt\","
                + "\"identifier\":\"a:b\"}]}");

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("field").stringValue()).isEqualTo("devices[0].identifier");
  }

  @Test
  void aGatewayGetsATokenOnceAndItsRelayListReachesTheRegistry() throws Exception {
    JsonNode vehicle =
        api.post(
                "/api/v1/vehicles",
                fleetToken,
                "{\"name\":\"Yard\",\"devices\":[{\"protocol\":\"gateway\","
                    + "\"identifier\":\"yard-gw-1\",\"relays\":[\"tag-a\",\"tag-b\",\"tag-a\"]}]}")
            .json();
    JsonNode gateway = vehicle.get("devices").get(0);
    String token = gateway.get("token").stringValue();

    assertThat(token).startsWith("fld_");
    assertThat(gateway.get("relays").toString()).isEqualTo("[\"tag-a\",\"tag-b\"]");
    RegistryTopic.awaitRecord(
        brokers,
        "gateway:yard-gw-1",
        r -> {
          if (r.value() == null) {
            return false;
          }
          DeviceRegistration registered = FleetlineJson.read(r.value(), DeviceRegistration.class);
          return registered.relays().equals(java.util.Set.of("tag-a", "tag-b"))
              && registered.tokenSha256().equals(DeviceTokens.sha256Hex(token));
        });
  }

  @Test
  void aGatewayLogsInToTheBrokerSoItMayNotTakeAnMqttDevicesUsername() throws Exception {
    JsonNode vehicle =
        api.post(
                "/api/v1/vehicles",
                fleetToken,
                "{\"name\":\"Yard 2\",\"devices\":[{\"protocol\":\"gateway\","
                    + "\"identifier\":\"yard-gw-2\",\"relays\":[]}]}")
            .json();
    String token = vehicle.get("devices").get(0).get("token").stringValue();
    RegistryTopic.awaitRecord(brokers, "gateway:yard-gw-2", r -> brokerAccepts(r.value(), token));

    ApiClient.Response clash =
        api.post(
            "/api/v1/vehicles",
            fleetToken,
            "{\"name\":\"Clash\",\"devices\":[{\"protocol\":\"mqtt\","
                + "\"identifier\":\"yard-gw-2\"}]}");

    assertThat(clash.status()).as(clash.body()).isEqualTo(409);
    assertThat(clash.json().get("field").stringValue()).isEqualTo("devices[0].identifier");
  }

  @Test
  void aGatewayAndAnMqttDeviceOfOneUsernameRegisteredAtOnceInTwoFleetsCannotBothSucceed()
      throws Exception {
    String otherVehicle = createVehicle(otherFleetToken, "Racing yard");
    try (Connection racing = dataSource.getConnection()) {
      // The other fleet's gateway is inserted but not yet committed: the API's check cannot see
      // it, as when both registrations run at the same moment.
      racing.setAutoCommit(false);
      try (PreparedStatement insert =
          racing.prepareStatement(
              "INSERT INTO devices (id, vehicle_id, fleet_id, protocol, identifier, relays)"
                  + " VALUES (gen_random_uuid(), ?::uuid, ?::uuid, 'gateway', 'race-1', '{}')")) {
        insert.setString(1, otherVehicle);
        insert.setString(2, otherFleetId);
        insert.executeUpdate();
      }
      CompletableFuture<ApiClient.Response> mqtt =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return api.post(
                      "/api/v1/vehicles",
                      fleetToken,
                      "{\"name\":\"Racer\",\"devices\":[{\"protocol\":\"mqtt\","
                          + "\"identifier\":\"race-1\"}]}");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      await("the registration answered or waits for the other one")
          .atMost(Duration.ofSeconds(30))
          .until(() -> mqtt.isDone() || waitsForAnotherInsert());
      racing.commit();

      ApiClient.Response response = mqtt.get(30, TimeUnit.SECONDS);
      assertThat(response.status()).as(response.body()).isEqualTo(409);
    }
    assertThat(
            jdbc.sql("SELECT count(*) FROM devices WHERE identifier = 'race-1'")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  private boolean waitsForAnotherInsert() {
    return jdbc.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query ILIKE 'insert into devices%'")
            .query(Long.class)
            .single()
        > 0;
  }

  @Test
  void onlyAGatewayMayListDevicesToRelay() throws Exception {
    ApiClient.Response response =
        api.post(
            "/api/v1/vehicles",
            fleetToken,
            "{\"name\":\"Not a gateway\",\"devices\":[{\"protocol\":\"http\","
                + "\"identifier\":\"not-gw-1\",\"relays\":[\"tag-a\"]}]}");

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("field").stringValue()).isEqualTo("devices[0].relays");
  }

  @Test
  void anEmptyRelayListOnAnotherProtocolIsNoRelayList() throws Exception {
    ApiClient.Response response =
        api.post(
            "/api/v1/vehicles",
            fleetToken,
            "{\"name\":\"Generated client\",\"devices\":[{\"protocol\":\"http\","
                + "\"identifier\":\"empty-relays-1\",\"relays\":[]}]}");

    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }

  private static boolean brokerAccepts(byte[] record, String token) {
    if (record == null) {
      return false;
    }
    String hash = FleetlineJson.read(record, DeviceRegistration.class).mqttPasswordHash();
    return hash != null && MqttPasswordHash.matches(token, hash);
  }
}
