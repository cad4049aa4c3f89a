package io.fleetline.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.FleetApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Retractions in the event feed: a retracted event names its retraction, the retraction names the
 * event, and a filter by type brings exactly the listed types: retractions only when it lists them.
 */
class EventRetractionFeedTest extends FleetApiTest {

  long tripStarted;
  long retraction;
  long geofenceEntered;

  /** The rows routing stores when later history no longer implies a trip_started. */
  @BeforeAll
  void aRetractedTripStart() throws Exception {
    String vehicle = createVehicle(fleetToken, "Retracted");
    tripStarted = insert(vehicle, "trip_started", "trip_started:" + vehicle, "{\"live\":true}");
    retraction =
        insert(
            vehicle,
            "event_retracted",
            "event_retracted:" + tripStarted,
            "{\"live\":true,\"retractedId\":"
                + tripStarted
                + ",\"retractedType\":\"trip_started\"}");
    jdbc.sql(
            "UPDATE vehicle_events SET retracted_by = ?,"
                + " event_key = event_key || '#retracted-by:' || ? WHERE id = ?")
        .params(retraction, retraction, tripStarted)
        .update();
    geofenceEntered = insert(vehicle, "geofence_entered", "geofence_entered:" + vehicle, "{}");
  }

  private long insert(String vehicle, String type, String key, String details) {
    return jdbc.sql(
            "INSERT INTO vehicle_events (event_key, fleet_id, vehicle_id, type, occurred_at,"
                + " location, details) VALUES (?, ?::uuid, ?::uuid, ?,"
                + " TIMESTAMPTZ '2026-11-26T08:00:00Z', ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326),"
                + " ?::jsonb) RETURNING id")
        .params(key, fleetId, vehicle, type, details)
        .query(Long.class)
        .single();
  }

  @Test
  void aRetractedEventNamesItsRetractionWhichFollowsItAndNamesIt() throws Exception {
    JsonNode items = api.get("/api/v1/events", readOnlyToken).json().get("items");

    assertThat(ids(items)).containsExactly(tripStarted, retraction, geofenceEntered);
    assertThat(items.get(0).get("retractedBy").longValue()).isEqualTo(retraction);
    JsonNode retracted = items.get(1);
    assertThat(retracted.get("type").stringValue()).isEqualTo("event_retracted");
    assertThat(retracted.get("occurredAt").stringValue()).isEqualTo("2026-11-26T08:00:00.000Z");
    assertThat(retracted.get("details").get("retractedId").longValue()).isEqualTo(tripStarted);
    assertThat(retracted.get("details").get("retractedType").stringValue())
        .isEqualTo("trip_started");
    assertThat(retracted.get("retractedBy").isNull()).isTrue();
    assertThat(items.get(2).get("retractedBy").isNull()).isTrue();
  }

  @Test
  void filteringByATypeBringsExactlyThatTypeAndNoRetractions() throws Exception {
    assertThat(ids(api.get("/api/v1/events?types=trip_started", fleetToken).json().get("items")))
        .containsExactly(tripStarted);
    assertThat(
            ids(api.get("/api/v1/events?types=geofence_entered", fleetToken).json().get("items")))
        .containsExactly(geofenceEntered);
  }

  @Test
  void listingRetractionsWithATypeBringsTheRetractionsOfThatTypeOnly() throws Exception {
    assertThat(
            ids(
                api.get("/api/v1/events?types=trip_started,event_retracted", fleetToken)
                    .json()
                    .get("items")))
        .containsExactly(tripStarted, retraction);
    assertThat(
            ids(
                api.get("/api/v1/events?types=geofence_entered&types=event_retracted", fleetToken)
                    .json()
                    .get("items")))
        .containsExactly(geofenceEntered);
  }

  @Test
  void listingOnlyRetractionsBringsTheRetractionsOfEveryType() throws Exception {
    assertThat(ids(api.get("/api/v1/events?types=event_retracted", fleetToken).json().get("items")))
        .containsExactly(retraction);
  }

  private static List<Long> ids(JsonNode items) {
    List<Long> ids = new ArrayList<>();
    items.forEach(e -> ids.add(e.get("id").longValue()));
    return ids;
  }
}
