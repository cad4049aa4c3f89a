package io.fleetline.api.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import org.junit.jupiter.api.Test;

/** A fleet's time zone, the calendar its daily summaries and reports follow, set by its admins. */
class FleetTimeZoneTest extends FleetApiTest {

  @Test
  void fleetAdminSetsTheFleetsTimeZoneAndTheDailyReportFollowsIt() throws Exception {
    String fleet = "/api/v1/admin/fleets/" + fleetId;
    assertThat(api.get(fleet, fleetToken).json().get("timeZone").stringValue()).isEqualTo("UTC");

    ApiClient.Response changed =
        api.patch(fleet, fleetToken, "{\"timeZone\":\"America/New_York\"}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("timeZone").stringValue()).isEqualTo("America/New_York");
    assertThat(changed.json().get("id").stringValue()).isEqualTo(fleetId);

    String vehicle = createVehicle(fleetToken, "Zoned");
    var row =
        api.get("/api/v1/reports/daily?date=2026-11-26&vehicleIds=" + vehicle, readOnlyToken)
            .json()
            .get("items")
            .get(0);
    assertThat(row.get("timeZone").stringValue()).isEqualTo("America/New_York");
    assertThat(
            jdbc.sql("SELECT time_zone FROM fleets WHERE id = ?::uuid")
                .param(fleetId)
                .query(String.class)
                .single())
        .isEqualTo("America/New_York");

    assertThat(api.patch(fleet, fleetToken, "{}").json().get("timeZone").stringValue())
        .as("an absent time zone stays as it is")
        .isEqualTo("America/New_York");
  }

  @Test
  void timeZoneThatIsNoIanaZoneIdIsRefused() throws Exception {
    String fleet = "/api/v1/admin/fleets/" + fleetId;
    for (String zone :
        new String[] {
          "Mars/Olympus_Mons", "+02:00", "GMT+2", "europe/berlin", "", "A".repeat(65)
        }) {
      ApiClient.Response refused = api.patch(fleet, fleetToken, "{\"timeZone\":\"" + zone + "\"}");
      assertThat(refused.status()).as(zone + " " + refused.body()).isEqualTo(400);
      assertThat(refused.json().get("field").stringValue()).isEqualTo("timeZone");
    }
  }

  @Test
  void anotherFleetsTimeZoneCannotBeReadOrSet() throws Exception {
    String theirs = "/api/v1/admin/fleets/" + otherFleetId;
    assertThat(api.patch(theirs, fleetToken, "{\"timeZone\":\"Asia/Tokyo\"}").status())
        .isEqualTo(404);
    assertThat(api.get(theirs, fleetToken).status()).isEqualTo(404);
    assertThat(api.patch(theirs, readOnlyToken, "{\"timeZone\":\"Asia/Tokyo\"}").status())
        .isEqualTo(403);
    assertThat(
            jdbc.sql("SELECT time_zone FROM fleets WHERE id = ?::uuid")
                .param(otherFleetId)
                .query(String.class)
                .single())
        .isEqualTo("UTC");
  }

  @Test
  void platformAdminSetsAnyFleetsTimeZone() throws Exception {
    ApiClient.Response changed =
        api.patch(
            "/api/v1/admin/fleets/" + otherFleetId, adminToken, "{\"timeZone\":\"Asia/Tokyo\"}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("timeZone").stringValue()).isEqualTo("Asia/Tokyo");
    jdbc.sql("UPDATE fleets SET time_zone = 'UTC' WHERE id = ?::uuid").param(otherFleetId).update();
  }
}
