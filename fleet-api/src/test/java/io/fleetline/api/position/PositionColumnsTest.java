package io.fleetline.api.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.Diagnostics;
import io.fleetline.common.Measurements;
import io.fleetline.common.VehiclePing;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SELECT list, the row mapping and every writer of a position follow the one table of {@link
 * PositionColumn}: a position with every field set shows every column of the table, in its order,
 * wherever the API writes positions.
 */
class PositionColumnsTest extends FleetApiTest {

  static final String RECORDED_AT = "2026-11-22T10:00:00.250Z";

  /** As a tracker's diagnostics are stored: jsonb's own key order and spacing. */
  static final String DIAGNOSTICS =
      "{\"moving\": false, \"gsmSignal\": 4, \"faultCodes\": [\"P0301\"],"
          + " \"externalVoltageV\": 12.6}";

  @Autowired JsonMapper mapper;
  String vehicle;

  @BeforeAll
  void fullyPopulatedPosition() throws Exception {
    vehicle = createVehicle(fleetToken, "Every field");
    jdbc.sql("SELECT fleetline_ensure_positions_partition(DATE '2026-11-22')").query().listOfRows();
    for (String table : List.of("positions", "latest_positions")) {
      jdbc.sql(
              "INSERT INTO "
                  + table
                  + " (vehicle_id, recorded_at, fleet_id, received_at, stored_at, location,"
                  + " speed_kmh, heading_deg, altitude_m, accuracy_m, ignition, attributes,"
                  + " diagnostics, protocol) VALUES (?::uuid, ?::timestamptz, ?::uuid,"
                  + " '2026-11-22T10:00:01Z', now(), ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326),"
                  + " 42.5, 90, 34, 5, false, '{\"battery\": 87}', '"
                  + DIAGNOSTICS
                  + "', 'http')")
          .params(vehicle, RECORDED_AT, fleetId)
          .update();
    }
  }

  @Test
  void everyColumnIsInTheJsonOfAFullyPopulatedPosition() throws Exception {
    JsonNode tracked =
        ok(api.get(
                "/api/v1/vehicles/"
                    + vehicle
                    + "/track?from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z",
                readOnlyToken))
            .get("items")
            .get(0);
    JsonNode inArea =
        ok(api.get("/api/v1/positions?near=52.5,13.4&radiusM=10", readOnlyToken))
            .get("items")
            .get(0);
    JsonNode latest = ok(api.get("/api/v1/vehicles/" + vehicle + "/position", readOnlyToken));

    for (JsonNode position : List.of(tracked, inArea, latest)) {
      assertThat(names(position)).containsExactlyElementsOf(columns(true));
      position.forEach(value -> assertThat(value.isNull()).as(position.toString()).isFalse());
    }
    assertThat(latest).isEqualTo(tracked).isEqualTo(inArea);
  }

  @Test
  void aStoredPositionShowsItsDiagnosticsInTheContractsNamesAndOrder() throws Exception {
    String expected =
        "{\"externalVoltageV\":12.6,\"moving\":false,\"gsmSignal\":4,\"faultCodes\":[\"P0301\"]}";
    JsonNode latest = ok(api.get("/api/v1/vehicles/" + vehicle + "/position", readOnlyToken));
    JsonNode feature =
        ok(api.get(
                "/api/v1/positions?near=52.5,13.4&radiusM=10",
                readOnlyToken,
                GeoJson.MEDIA_TYPE_VALUE))
            .get("features")
            .get(0);

    assertThat(latest.get("diagnostics").toString()).isEqualTo(expected);
    assertThat(feature.get("properties").get("diagnostics").toString()).isEqualTo(expected);
  }

  @Test
  void aGeoJsonPointHasEveryColumnButTheCoordinatesAsItsProperties() throws Exception {
    JsonNode feature =
        ok(api.get(
                "/api/v1/positions?near=52.5,13.4&radiusM=10",
                readOnlyToken,
                GeoJson.MEDIA_TYPE_VALUE))
            .get("features")
            .get(0);

    assertThat(names(feature.get("properties"))).containsExactlyElementsOf(columns(false));
    assertThat(feature.get("geometry").get("coordinates").get(0).doubleValue()).isEqualTo(13.4);
    assertThat(feature.get("geometry").get("coordinates").get(1).doubleValue()).isEqualTo(52.5);
  }

  @Test
  void aLivePingIsWrittenWithEveryColumnAsTheMapperWritesItsPosition() {
    VehiclePing ping =
        new VehiclePing(
            VehiclePing.CURRENT_VERSION,
            UUID.fromString(vehicle),
            UUID.fromString(fleetId),
            UUID.randomUUID(),
            "http",
            Instant.parse(RECORDED_AT),
            Instant.parse("2026-11-22T10:00:01Z"),
            new Measurements(
                52.5,
                13.4,
                42.5,
                90.1,
                null,
                5.0,
                1234.5,
                true,
                new Diagnostics(12.6, null, null, null, null, null, 4, null, List.of("P0301"))),
            Map.of("battery", 87));
    PositionView view =
        new PositionView(
            ping.vehicleId(),
            ping.recordedAt(),
            ping.receivedAt(),
            52.5,
            13.4,
            42.5f,
            90.1f,
            null,
            5.0f,
            true,
            new Diagnostics(12.6, null, null, null, null, null, 4, null, List.of("P0301")),
            Map.of("battery", 87));

    String written = PositionJson.of(mapper, ping);

    assertThat(written).isEqualTo(mapper.writeValueAsString(view));
    assertThat(names(mapper.readTree(written))).containsExactlyElementsOf(columns(true));
  }

  @Test
  void theDocumentedPositionHasTheTablesFieldsInItsOrder() {
    assertThat(
            Arrays.stream(PositionView.class.getRecordComponents()).map(RecordComponent::getName))
        .containsExactlyElementsOf(columns(true));
    assertThat(PositionColumn.SELECT.split(", ")).hasSize(PositionColumn.ALL.size());
  }

  private static JsonNode ok(ApiClient.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static List<String> columns(boolean withCoordinates) {
    return PositionColumn.ALL.stream()
        .filter(c -> withCoordinates || !c.coordinate())
        .map(PositionColumn::fieldName)
        .toList();
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.propertyNames().forEach(names::add);
    return names;
  }
}
