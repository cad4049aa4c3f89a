package io.fleetline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.api.testing.RegistryTopic;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.common.FleetlineJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** fleet-api with its real authorization server, the real PostGIS and the real Kafka broker. */
class FleetApiIntegrationTest extends FleetApiTest {

  @Test
  void registeringAVehicleIssuesADeviceTokenOnceAndPublishesTheDeviceToTheRegistryTopic()
      throws Exception {
    ApiClient.Response created =
        api.post(
            "/api/v1/vehicles",
            fleetToken,
            "{\"name\":\"Van 1\",\"plate\":\"B-FL 101\",\"devices\":[{\"protocol\":\"http\",\"identifier\":\"van-1\"},"
                + "{\"protocol\":\"teltonika\",\"identifier\":\"356307042441013\"}]}");

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode vehicle = created.json();
    String token = vehicle.get("devices").get(0).get("token").stringValue();
    assertThat(token).startsWith("fld_");
    assertThat(vehicle.get("devices").get(1).has("token")).isFalse();

    String vehicleId = vehicle.get("id").stringValue();
    JsonNode fetched = api.get("/api/v1/vehicles/" + vehicleId, readOnlyToken).json();
    assertThat(fetched.get("plate").stringValue()).isEqualTo("B-FL 101");
    assertThat(fetched.get("devices").get(0).has("token")).as("token is shown once").isFalse();

    DeviceRegistration published = awaitRegistration("http:van-1");
    assertThat(published.vehicleId().toString()).isEqualTo(vehicleId);
    assertThat(published.fleetId().toString()).isEqualTo(fleetId);
    assertThat(published.tokenSha256()).isEqualTo(DeviceTokens.sha256Hex(token));
  }

  @Test
  void theLatestPositionIsServedWithMillisecondTimesAndIsolatedByFleet() throws Exception {
    String vehicleId =
        api.post("/api/v1/vehicles", fleetToken, "{\"name\":\"Truck 7\"}")
            .json()
            .get("id")
            .stringValue();
    assertThat(api.get("/api/v1/vehicles/" + vehicleId + "/position", fleetToken).status())
        .as("no position yet")
        .isEqualTo(404);

    jdbc.sql(
            "INSERT INTO latest_positions (vehicle_id, fleet_id, recorded_at, received_at, stored_at,"
                + " location, speed_kmh, ignition, protocol, attributes) VALUES (?::uuid, ?::uuid,"
                + " '2026-11-26T08:00:00Z', '2026-11-26T08:00:00.5Z', now(),"
                + " ST_SetSRID(ST_MakePoint(13.405, 52.52), 4326), 42.5, true, 'http', '{\"batt\":87}')")
        .params(vehicleId, fleetId)
        .update();

    ApiClient.Response position =
        api.get("/api/v1/vehicles/" + vehicleId + "/position", readOnlyToken);
    assertThat(position.status()).isEqualTo(200);
    JsonNode json = position.json();
    assertThat(json.get("recordedAt").stringValue()).isEqualTo("2026-11-26T08:00:00.000Z");
    assertThat(json.get("receivedAt").stringValue()).isEqualTo("2026-11-26T08:00:00.500Z");
    assertThat(json.get("latitude").doubleValue()).isEqualTo(52.52);
    assertThat(json.get("longitude").doubleValue()).isEqualTo(13.405);
    assertThat(json.get("speedKmh").doubleValue()).isEqualTo(42.5);
    assertThat(json.get("attributes").get("batt").intValue()).isEqualTo(87);

    assertThat(api.get("/api/v1/vehicles/" + vehicleId + "/position", otherFleetToken).status())
        .as("another fleet's vehicle is indistinguishable from a missing one")
        .isEqualTo(404);
    assertThat(api.get("/api/v1/vehicles/" + vehicleId, otherFleetToken).status()).isEqualTo(404);
  }

  @Test
  void missingTokensAre401AndMissingScopes403AsProblemDetails() throws Exception {
    ApiClient.Response anonymous = api.get("/api/v1/vehicles", null);
    ApiClient.Response readOnlyWrite =
        api.post("/api/v1/vehicles", readOnlyToken, "{\"name\":\"x\"}");
    ApiClient.Response fleetCreatesFleet =
        api.post("/api/v1/admin/fleets", fleetToken, "{\"name\":\"x\"}");
    ApiClient.Response forged =
        api.get("/api/v1/vehicles", fleetToken.substring(0, fleetToken.length() - 4) + "AAAA");

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.contentType()).startsWith("application/problem+json");
    assertThat(readOnlyWrite.status()).isEqualTo(403);
    assertThat(readOnlyWrite.contentType()).startsWith("application/problem+json");
    assertThat(fleetCreatesFleet.status()).isEqualTo(403);
    assertThat(forged.status()).isEqualTo(401);
  }

  @Test
  void aClientCannotObtainScopesItWasNotGrantedNorUseAWrongSecret() throws Exception {
    assertThat(api.tokenResponse("test-admin", "wrong-secret-xxxxxxxx", "platform.admin").status())
        .isEqualTo(401);
    assertThat(api.tokenResponse("test-admin", FleetApiTest.ADMIN_SECRET, "fleet.write").status())
        .isEqualTo(400);
  }

  @Test
  void invalidRequestsNameTheFieldAndDuplicateDevicesConflict() throws Exception {
    ApiClient.Response invalid =
        api.post(
            "/api/v1/vehicles",
            fleetToken,
            "{\"name\":\"x\",\"devices\":[{\"protocol\":\"carrier-pigeon\",\"identifier\":\"p1\"}]}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.contentType()).startsWith("application/problem+json");
    assertThat(invalid.json().get("field").stringValue()).isEqualTo("devices[0].protocol");

    String body =
        "{\"name\":\"x\",\"devices\":[{\"protocol\":\"osmand\",\"identifier\":\"dup-1\"}]}";
    assertThat(api.post("/api/v1/vehicles", fleetToken, body).status()).isEqualTo(201);
    ApiClient.Response duplicate = api.post("/api/v1/vehicles", otherFleetToken, body);
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().get("field").stringValue()).isEqualTo("devices[0].identifier");

    ApiClient.Response badImei =
        api.post(
            "/api/v1/vehicles",
            fleetToken,
            "{\"name\":\"x\",\"devices\":[{\"protocol\":\"teltonika\",\"identifier\":\"12345\"}]}");
    assertThat(badImei.status()).isEqualTo(400);
  }

  @Test
  void vehiclesArePagedWithACursor() throws Exception {
    for (int i = 0; i < 3; i++) {
      api.post("/api/v1/vehicles", otherFleetToken, "{\"name\":\"Paged " + i + "\"}");
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get(
                  "/api/v1/vehicles?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                  otherFleetToken)
              .json();
      page.get("items").forEach(v -> seen.add(v.get("id").stringValue()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
    } while (cursor != null);

    assertThat(seen).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
    assertThat(seen).isSorted();
  }

  private DeviceRegistration awaitRegistration(String key) {
    var records = RegistryTopic.awaitRecord(brokers, key, r -> r.value() != null);
    return FleetlineJson.read(records.get(0).value(), DeviceRegistration.class);
  }
}
