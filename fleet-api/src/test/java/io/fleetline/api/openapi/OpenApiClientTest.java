package io.fleetline.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.client.ApiClient;
import io.fleetline.client.ApiException;
import io.fleetline.client.api.PositionsApi;
import io.fleetline.client.api.TracksApi;
import io.fleetline.client.api.VehiclesApi;
import io.fleetline.client.model.CreateVehicle;
import io.fleetline.client.model.NewDevice;
import io.fleetline.client.model.PositionPage;
import io.fleetline.client.model.PositionView;
import io.fleetline.client.model.VehicleView;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An integrator's workflow through the Java client that the build generates from the committed
 * {@code openapi.yaml}: get a token, register a vehicle, read its position, page its track.
 */
class OpenApiClientTest extends FleetApiTest {

  @Test
  void anIntegratorWorksThroughTheGeneratedClient() throws Exception {
    String clientToken = clientToken(fleetId, "fleet.read fleet.write");
    ApiClient client = new ApiClient();
    client.updateBaseUri("http://127.0.0.1:" + port);
    client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + clientToken));
    VehiclesApi vehicles = new VehiclesApi(client);

    VehicleView vehicle =
        vehicles.createVehicle(
            new CreateVehicle()
                .name("Generated van")
                .plate("B-GC 1")
                .devices(List.of(new NewDevice().protocol("http").identifier("gen-" + uuid()))));
    UUID vehicleId = vehicle.getId();
    assertThat(vehicle.getDevices().get(0).getToken()).startsWith("fld_");

    // routing would store these from the device's pings
    insertLatestPosition(vehicleId.toString(), fleetId, "2026-11-26T08:59:59Z", 52.52, 13.405);
    jdbc.sql("SELECT fleetline_ensure_positions_partition(DATE '2026-11-26')").query().listOfRows();
    jdbc.sql(
            "INSERT INTO positions (vehicle_id, recorded_at, fleet_id, received_at, stored_at,"
                + " location, speed_kmh, protocol) SELECT ?::uuid, t, ?::uuid, t, now(),"
                + " ST_SetSRID(ST_MakePoint(13.4, 52.5 + i * 0.0001), 4326), 30, 'http' FROM"
                + " generate_series(0, 249) AS i, LATERAL (SELECT TIMESTAMPTZ"
                + " '2026-11-26T08:00:00Z' + i * INTERVAL '1 second' AS t) AS times")
        .params(vehicleId, fleetId)
        .update();

    PositionView position = new PositionsApi(client).getVehiclePosition(vehicleId);
    assertThat(position.getLatitude()).isEqualTo(52.52);
    assertThat(position.getRecordedAt()).isEqualTo(OffsetDateTime.parse("2026-11-26T08:59:59Z"));

    TracksApi tracks = new TracksApi(client);
    List<PositionView> track = new ArrayList<>();
    String cursor = null;
    do {
      // The operation answers JSON or GeoJSON, so the generated method returns Object.
      PositionPage page =
          client
              .getObjectMapper()
              .convertValue(
                  tracks.getTrack(
                      vehicleId,
                      OffsetDateTime.parse("2026-11-26T08:00:00Z"),
                      OffsetDateTime.parse("2026-11-26T09:00:00Z"),
                      100,
                      cursor),
                  PositionPage.class);
      track.addAll(page.getItems());
      cursor = page.getNextCursor();
    } while (cursor != null);
    assertThat(track).hasSize(250);
    assertThat(track.get(249).getRecordedAt())
        .isEqualTo(OffsetDateTime.parse("2026-11-26T08:04:09Z"));

    try {
      vehicles.getVehicle(UUID.randomUUID());
    } catch (ApiException e) {
      assertThat(e.getCode()).isEqualTo(404);
      assertThat(e.getResponseBody()).contains("not found");
      return;
    }
    throw new AssertionError("a missing vehicle must be a 404");
  }
}
