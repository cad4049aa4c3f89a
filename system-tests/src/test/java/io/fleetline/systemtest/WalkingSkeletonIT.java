package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The first ping end to end through all three services, each in its own JVM: an operator creates a
 * fleet, an integrator registers a vehicle, its device sends a ping to ingest, and the position
 * comes back from fleet-api.
 */
class WalkingSkeletonIT {

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.shared();
  }

  @Test
  void aPingSentToIngestIsReadBackAsTheVehiclesPositionFromFleetApi() throws Exception {
    ApiClient api = new ApiClient(platform.api.baseUrl());
    ApiClient ingest = new ApiClient(platform.ingest.baseUrl());

    String token = platform.newFleetToken("Walking skeleton");

    JsonNode vehicle =
        api.post(
                "/api/v1/vehicles",
                token,
                "{\"name\":\"Van 1\",\"devices\":[{\"protocol\":\"http\",\"identifier\":\"van-1\"}]}")
            .json();
    String vehicleId = vehicle.get("id").stringValue();
    String deviceToken = vehicle.get("devices").get(0).get("token").stringValue();

    Instant recordedAt = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
    String ping =
        "{\"recordedAt\":\""
            + recordedAt
            + "\",\"latitude\":52.52,\"longitude\":13.405,\"speedKmh\":42.5,\"ignition\":true}";
    // ingest learns of the new device through the registry topic; until then the token is unknown.
    await("ingest accepts the new device's ping")
        .atMost(Duration.ofSeconds(30))
        .until(() -> ingest.post("/api/v1/pings", deviceToken, ping).status() == 202);

    await("the position is stored")
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/api/v1/vehicles/" + vehicleId + "/position", token).status() == 200);
    JsonNode position = api.get("/api/v1/vehicles/" + vehicleId + "/position", token).json();
    assertThat(position.get("recordedAt").stringValue()).matches(".*T.*\\.\\d{3}Z");
    assertThat(Instant.parse(position.get("recordedAt").stringValue())).isEqualTo(recordedAt);
    assertThat(position.get("latitude").doubleValue()).isEqualTo(52.52);
    assertThat(position.get("longitude").doubleValue()).isEqualTo(13.405);
    assertThat(position.get("speedKmh").doubleValue()).isEqualTo(42.5);
    assertThat(position.get("ignition").booleanValue()).isTrue();

    Response unknownDevice = ingest.post("/api/v1/pings", "fld_unknown", ping);
    assertThat(unknownDevice.status()).isEqualTo(401);
  }
}
