package io.fleetline.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.VehicleEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The event feed: oldest first after a cursor, filtered by type, per fleet. */
class EventFeedTest extends FleetApiTest {

  String vehicleId;

  @BeforeAll
  void events() throws Exception {
    vehicleId = createVehicle(fleetToken, "Eventful");
    String[] types = {
      "trip_started", "geofence_entered", "overspeed", "geofence_exited", "trip_ended"
    };
    for (int i = 0; i < types.length; i++) {
      insertEvent(fleetId, vehicleId, types[i], i);
    }
    insertEvent(otherFleetId, createVehicle(otherFleetToken, "Theirs"), "overspeed", 9);
  }

  private void insertEvent(String fleet, String vehicle, String type, int minute) {
    jdbc.sql(
            "INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,"
                + " location, details) VALUES (?, ?::uuid, ?::uuid, ?,"
                + " TIMESTAMPTZ '2026-11-26T08:00:00Z' + ? * INTERVAL '1 minute',"
                + " ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326), '{\"speedKmh\":88}')")
        .params(uuid(), fleet, vehicle, type, minute)
        .update();
  }

  @Test
  void theFeedIsReadOldestFirstPageByPage() throws Exception {
    List<String> types = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get(
                  "/api/v1/events?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                  readOnlyToken)
              .json();
      page.get("items")
          .forEach(
              e -> {
                types.add(e.get("type").stringValue());
                ids.add(e.get("id").longValue());
              });
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
    } while (cursor != null);

    assertThat(types)
        .containsExactly(
            "trip_started", "geofence_entered", "overspeed", "geofence_exited", "trip_ended");
    assertThat(ids).isSorted();
    JsonNode afterSecond = api.get("/api/v1/events?after=" + ids.get(1), fleetToken).json();
    assertThat(afterSecond.get("items")).hasSize(3);
    JsonNode event = afterSecond.get("items").get(0);
    assertThat(event.get("vehicleId").stringValue()).isEqualTo(vehicleId);
    assertThat(event.get("occurredAt").stringValue()).isEqualTo("2026-11-26T08:02:00.000Z");
    assertThat(event.get("details").get("speedKmh").intValue()).isEqualTo(88);
  }

  @Test
  void typesFilterTheFeed() throws Exception {
    JsonNode geofence =
        api.get("/api/v1/events?types=geofence_entered,geofence_exited", fleetToken).json();
    assertThat(geofence.get("items")).hasSize(2);
    JsonNode repeated =
        api.get("/api/v1/events?types=overspeed&types=trip_ended", fleetToken).json();
    assertThat(repeated.get("items")).hasSize(2);
    ApiClient.Response unknown = api.get("/api/v1/events?types=teleported", fleetToken);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("field").stringValue()).isEqualTo("types");
  }

  @Test
  void theDiagnosticsEventTypesAreKnownToTheFilter() throws Exception {
    ApiClient.Response diagnostics =
        api.get("/api/v1/events?types=battery_low,power_cut,fault_code,fuel_drop", fleetToken);

    assertThat(diagnostics.status()).as(diagnostics.body()).isEqualTo(200);
    assertThat(diagnostics.json().get("items")).isEmpty();
  }

  @Test
  void theStreamAnalyticsEventTypesAreKnownToTheFilter() throws Exception {
    ApiClient.Response analytics =
        api.get(
            "/api/v1/events?types=device_offline,device_online,idling_started,idling_ended,"
                + "harsh_braking,harsh_acceleration,harsh_cornering",
            fleetToken);

    assertThat(analytics.status()).as(analytics.body()).isEqualTo(200);
    assertThat(analytics.json().get("items")).isEmpty();
  }

  @Test
  void theFilterKnowsExactlyTheTypesTheSchemaAdmits() throws Exception {
    String check =
        jdbc.sql(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                    + " WHERE conname = 'vehicle_events_type_check'")
            .query(String.class)
            .single();
    Set<String> admitted = new TreeSet<>();
    Matcher quoted = Pattern.compile("'([a-z_]+)'").matcher(check);
    while (quoted.find()) {
      admitted.add(quoted.group(1));
    }

    assertThat(VehicleEvent.TYPES).containsExactlyInAnyOrderElementsOf(admitted);
    ApiClient.Response all =
        api.get("/api/v1/events?types=" + String.join(",", admitted), fleetToken);
    assertThat(all.status()).as(all.body()).isEqualTo(200);
  }
}
