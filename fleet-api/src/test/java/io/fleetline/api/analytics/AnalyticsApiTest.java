package io.fleetline.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Daily summaries, the daily report and the vehicle status read through the API from rows stored
 * the way analytics-service stores them, in the real database.
 */
class AnalyticsApiTest extends FleetApiTest {

  static final String NOV_26 = "2026-11-26";

  String busy;
  String idle;
  String strangeName;
  String formula;
  String quiet;
  String otherFleetVehicle;

  @BeforeAll
  void vehiclesAndTheirDays() throws Exception {
    jdbc.sql("UPDATE fleets SET time_zone = 'Europe/Berlin' WHERE id = ?::uuid")
        .param(fleetId)
        .update();
    busy = vehicle("Van 1", "B-FL 101");
    idle = vehicle("Parked van", null);
    strangeName = vehicle("=HYPERLINK(\"http://evil.test\",\"click\")", "+49, \"quoted\"");
    jdbc.sql("UPDATE vehicles SET name = ? WHERE id = ?::uuid")
        .params("\tTabbed\r\nand broken", strangeName)
        .update();
    formula = vehicle("=HYPERLINK(\"http://evil.test\",\"click\")", "@SUM(A1)");
    quiet = vehicle("Quiet", null);
    otherFleetVehicle = createVehicle(otherFleetToken, "Theirs");
    summary(busy, fleetId, "2026-11-25", 12_000.5, 3);
    summary(busy, fleetId, NOV_26, 48_250.0, 5);
    summary(busy, fleetId, "2026-11-27", 900.0, 1);
    summary(strangeName, fleetId, NOV_26, 10.0, 0);
    summary(otherFleetVehicle, otherFleetId, NOV_26, 777.0, 2);
  }

  private String vehicle(String name, String plate) throws Exception {
    String body =
        plate == null
            ? "{\"name\":\"" + json(name) + "\"}"
            : "{\"name\":\"" + json(name) + "\",\"plate\":\"" + json(plate) + "\"}";
    ApiClient.Response created = api.post("/api/v1/vehicles", fleetToken, body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").stringValue();
  }

  private static String json(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** One daily summary as analytics-service upserts it. */
  private void summary(String vehicle, String fleet, String day, double distanceM, int trips) {
    jdbc.sql(
            """
            INSERT INTO vehicle_daily_summaries (vehicle_id, day, fleet_id, time_zone, distance_m,
                driving_s, idle_s, max_speed_kmh, avg_speed_kmh, trip_count, harsh_braking_count,
                harsh_acceleration_count, harsh_cornering_count, sample_count, first_at,
                first_location, last_at, last_location, revision)
            VALUES (?::uuid, ?::date, ?::uuid, 'Europe/Berlin', ?, 3600, 420, 92.5, 41.25, ?, 2, 1,
                0, 500, (?::date + time '07:15') AT TIME ZONE 'Europe/Berlin',
                ST_SetSRID(ST_MakePoint(13.4, 52.52), 4326),
                (?::date + time '18:40') AT TIME ZONE 'Europe/Berlin',
                ST_SetSRID(ST_MakePoint(-0.1275, 51.5072), 4326), 1)""")
        .params(vehicle, day, fleet, distanceM, trips, day, day)
        .update();
  }

  @Test
  void summariesOfARangeArePagedOldestFirstWithEveryFigure() throws Exception {
    String path = "/api/v1/vehicles/" + busy + "/summaries?from=2026-11-20&to=2026-11-27";
    ApiClient.Response first = api.get(path + "&limit=2", readOnlyToken);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    JsonNode items = first.json().get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("day").stringValue()).isEqualTo("2026-11-25");
    JsonNode day = items.get(1);
    assertThat(day.get("day").stringValue()).isEqualTo(NOV_26);
    assertThat(day.get("vehicleId").stringValue()).isEqualTo(busy);
    assertThat(day.get("timeZone").stringValue()).isEqualTo("Europe/Berlin");
    assertThat(day.get("distanceM").doubleValue()).isEqualTo(48_250.0);
    assertThat(day.get("drivingS").doubleValue()).isEqualTo(3600.0);
    assertThat(day.get("idleS").doubleValue()).isEqualTo(420.0);
    assertThat(day.get("maxSpeedKmh").doubleValue()).isEqualTo(92.5);
    assertThat(day.get("avgSpeedKmh").doubleValue()).isEqualTo(41.25);
    assertThat(day.get("tripCount").intValue()).isEqualTo(5);
    assertThat(day.get("harshBrakingCount").intValue()).isEqualTo(2);
    assertThat(day.get("harshAccelerationCount").intValue()).isEqualTo(1);
    assertThat(day.get("harshCorneringCount").intValue()).isZero();
    assertThat(day.get("firstAt").stringValue()).isEqualTo("2026-11-26T06:15:00.000Z");
    assertThat(day.get("firstPosition").get("latitude").doubleValue()).isEqualTo(52.52);
    assertThat(day.get("lastAt").stringValue()).isEqualTo("2026-11-26T17:40:00.000Z");
    assertThat(day.get("lastPosition").get("longitude").doubleValue()).isEqualTo(-0.1275);

    JsonNode second =
        api.get(
                path + "&limit=2&cursor=" + first.json().get("nextCursor").stringValue(),
                readOnlyToken)
            .json();
    assertThat(second.get("items")).hasSize(1);
    assertThat(second.get("items").get(0).get("day").stringValue()).isEqualTo("2026-11-27");
    assertThat(second.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void summariesStayInsideTheRangeBothEndsIncluded() throws Exception {
    JsonNode page =
        api.get(
                "/api/v1/vehicles/" + busy + "/summaries?from=2026-11-26&to=2026-11-26",
                readOnlyToken)
            .json();
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("day").stringValue()).isEqualTo(NOV_26);
  }

  @Test
  void anotherFleetsVehicleHasNoSummariesAndNoStatus() throws Exception {
    String range = "/summaries?from=2026-11-26&to=2026-11-26";
    assertThat(api.get("/api/v1/vehicles/" + otherFleetVehicle + range, fleetToken).status())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/vehicles/" + otherFleetVehicle + "/status", fleetToken).status())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/vehicles/" + uuid() + "/status", fleetToken).status())
        .isEqualTo(404);
  }

  @Test
  void badSummaryRangesAreRefusedNamingTheParameter() throws Exception {
    String base = "/api/v1/vehicles/" + busy + "/summaries?";
    assertBadRequest(base + "from=2026-11-27&to=2026-11-26", "from");
    assertBadRequest(base + "from=2026-02-30&to=2026-03-01", "from");
    assertBadRequest(base + "from=2026-11-26T00:00:00Z&to=2026-11-27", "from");
    assertBadRequest(base + "from=%2B12026-11-26&to=2026-11-27", "from");
    assertBadRequest(base + "from=0000-01-01&to=0000-01-02", "from");
    assertBadRequest(base + "from=2026-11-26&to=26.11.2026", "to");
    assertBadRequest(base + "from=2026-11-26", "to");
    assertBadRequest(base + "from=2025-01-01&to=2026-01-02", "to");
    assertBadRequest(base + "from=2026-11-26&to=2026-11-27&cursor=bm90LWEtZGF5", "cursor");
    assertThat(api.get(base + "from=2024-01-01&to=2024-12-31", readOnlyToken).status())
        .as("a leap year is 366 days")
        .isEqualTo(200);
  }

  @Test
  void dailyReportHasOneRowPerVehicleOfTheFleetWithZerosForVehiclesWithoutASummary()
      throws Exception {
    ApiClient.Response response = api.get("/api/v1/reports/daily?date=" + NOV_26, readOnlyToken);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(api.get("/api/v1/reports/daily?date=" + NOV_26, readOnlyToken, "*/*").contentType())
        .as("any type: JSON")
        .startsWith("application/json");
    assertThat(
            api.get("/api/v1/reports/daily?date=" + NOV_26, readOnlyToken, "application/json")
                .contentType())
        .startsWith("application/json");
    JsonNode items = response.json().get("items");
    List<String> ids = new ArrayList<>();
    items.forEach(i -> ids.add(i.get("vehicleId").stringValue()));
    List<String> expected = new ArrayList<>(List.of(busy, idle, strangeName, formula, quiet));
    Collections.sort(expected);
    assertThat(ids).isEqualTo(expected);
    assertThat(response.body()).doesNotContain(otherFleetVehicle);

    JsonNode van = row(items, busy);
    assertThat(van.get("vehicleName").stringValue()).isEqualTo("Van 1");
    assertThat(van.get("plate").stringValue()).isEqualTo("B-FL 101");
    assertThat(van.get("summarized").booleanValue()).isTrue();
    assertThat(van.get("distanceM").doubleValue()).isEqualTo(48_250.0);
    assertThat(van.get("tripCount").intValue()).isEqualTo(5);

    JsonNode parked = row(items, idle);
    assertThat(parked.get("summarized").booleanValue()).isFalse();
    assertThat(parked.get("day").stringValue()).isEqualTo(NOV_26);
    assertThat(parked.get("timeZone").stringValue()).isEqualTo("Europe/Berlin");
    assertThat(parked.get("distanceM").doubleValue()).isZero();
    assertThat(parked.get("tripCount").intValue()).isZero();
    assertThat(parked.get("maxSpeedKmh").isNull()).isTrue();
    assertThat(parked.get("firstPosition").isNull()).isTrue();
  }

  private static JsonNode row(JsonNode items, String vehicle) {
    for (JsonNode item : items) {
      if (item.get("vehicleId").stringValue().equals(vehicle)) {
        return item;
      }
    }
    throw new AssertionError("no row of " + vehicle);
  }

  @Test
  void dailyReportPagesByVehicleAndKeepsToTheVehiclesNamed() throws Exception {
    String named = "/api/v1/reports/daily?date=" + NOV_26 + "&vehicleIds=" + busy + "," + idle;
    JsonNode first = api.get(named + "&limit=1", readOnlyToken).json();
    assertThat(first.get("items")).hasSize(1);
    JsonNode second =
        api.get(named + "&limit=1&cursor=" + first.get("nextCursor").stringValue(), readOnlyToken)
            .json();
    assertThat(second.get("items")).hasSize(1);
    assertThat(second.get("nextCursor").isNull()).isTrue();
    assertThat(
            List.of(
                first.get("items").get(0).get("vehicleId").stringValue(),
                second.get("items").get(0).get("vehicleId").stringValue()))
        .containsExactlyInAnyOrder(busy, idle);
  }

  @Test
  void dailyReportNamingAnotherFleetsOrAMissingVehicleIsNotFound() throws Exception {
    String report = "/api/v1/reports/daily?date=" + NOV_26 + "&vehicleIds=" + busy + ",";
    ApiClient.Response theirs = api.get(report + otherFleetVehicle, readOnlyToken);
    assertThat(theirs.status()).isEqualTo(404);
    assertThat(theirs.body()).doesNotContain("Theirs").doesNotContain("777");
    ApiClient.Response missing = api.get(report + uuid(), readOnlyToken);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(api.get(report + otherFleetVehicle, readOnlyToken, "text/csv").status())
        .isEqualTo(404);
  }

  @Test
  void badReportParametersAreRefusedNamingTheParameter() throws Exception {
    assertBadRequest("/api/v1/reports/daily", "date");
    assertBadRequest("/api/v1/reports/daily?date=2026-13-01", "date");
    assertBadRequest(
        "/api/v1/reports/daily?date=" + NOV_26 + "&vehicleIds=not-a-uuid", "vehicleIds");
    String tooMany =
        String.join(",", Collections.nCopies(DailyReportController.MAX_VEHICLE_IDS + 1, busy));
    assertBadRequest(
        "/api/v1/reports/daily?date=" + NOV_26 + "&vehicleIds=" + tooMany, "vehicleIds");
    ApiClient.Response asCsv =
        api.get("/api/v1/reports/daily?date=yesterday", readOnlyToken, "text/csv");
    assertThat(asCsv.status()).isEqualTo(400);
    assertThat(asCsv.contentType()).startsWith("application/problem+json");
  }

  @Test
  void dailyReportAsCsvHasAHeaderQuotingAndInertFormulas() throws Exception {
    ApiClient.Response csv =
        api.get("/api/v1/reports/daily?date=" + NOV_26, readOnlyToken, "text/csv");
    assertThat(csv.status()).as(csv.body()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    String[] lines = csv.body().split("\r\n(?=[0-9a-f]{8}-)|\r\n$");
    assertThat(lines[0]).isEqualTo(ReportCsv.HEADER);
    assertThat(lines).hasSize(6);
    assertThat(csv.body()).endsWith("\r\n").doesNotContain(otherFleetVehicle);

    String van = line(lines, busy);
    assertThat(van)
        .isEqualTo(
            busy
                + ",Van 1,B-FL 101,2026-11-26,Europe/Berlin,true,48250,3600,420,92.5,41.25,5,2,1,0,"
                + "2026-11-26T06:15:00.000Z,52.52,13.4,2026-11-26T17:40:00.000Z,51.5072,-0.1275");
    assertThat(line(lines, idle))
        .isEqualTo(idle + ",Parked van,,2026-11-26,Europe/Berlin,false,0,0,0,,,0,0,0,0,,,,,,");
    assertThat(line(lines, strangeName))
        .startsWith(strangeName + ",\"'\tTabbed\r\nand broken\",\"'+49, \"\"quoted\"\"\",");
  }

  @Test
  void formulaNamesAreWrittenInertInCsv() throws Exception {
    String csv =
        api.get(
                "/api/v1/reports/daily?date=" + NOV_26 + "&vehicleIds=" + formula,
                readOnlyToken,
                "text/csv")
            .body();
    assertThat(csv)
        .isEqualTo(
            ReportCsv.HEADER
                + "\r\n"
                + formula
                + ",\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"click\"\")\",'@SUM(A1),2026-11-26,"
                + "Europe/Berlin,false,0,0,0,,,0,0,0,0,,,,,,\r\n");
  }

  private static String line(String[] lines, String vehicle) {
    for (String line : lines) {
      if (line.startsWith(vehicle)) {
        return line;
      }
    }
    throw new AssertionError("no line of " + vehicle);
  }

  @Test
  void statusTellsOnlineIdlingAndSinceWhenWithTheLatestPosition() throws Exception {
    jdbc.sql(
            """
            INSERT INTO vehicle_status (vehicle_id, fleet_id, online, online_changed_at,
                last_heard_at, idling, idling_since, revision)
            VALUES (?::uuid, ?::uuid, true, '2026-11-26T06:00:00Z', '2026-11-26T08:01:30Z', true,
                '2026-11-26T07:55:00Z', 7)""")
        .params(busy, fleetId)
        .update();
    insertLatestPosition(busy, fleetId, "2026-11-26T08:01:00Z", 52.52, 13.4);

    JsonNode status = api.get("/api/v1/vehicles/" + busy + "/status", readOnlyToken).json();
    assertThat(status.get("vehicleId").stringValue()).isEqualTo(busy);
    assertThat(status.get("status").stringValue()).isEqualTo("online");
    assertThat(status.get("online").booleanValue()).isTrue();
    assertThat(status.get("since").stringValue()).isEqualTo("2026-11-26T06:00:00.000Z");
    assertThat(status.get("idling").booleanValue()).isTrue();
    assertThat(status.get("idlingSince").stringValue()).isEqualTo("2026-11-26T07:55:00.000Z");
    assertThat(status.get("lastHeardAt").stringValue()).isEqualTo("2026-11-26T08:01:30.000Z");
    assertThat(status.get("latestPositionAt").stringValue()).isEqualTo("2026-11-26T08:01:00.000Z");
  }

  @Test
  void offlineVehicleIsOfflineSinceItWentQuiet() throws Exception {
    jdbc.sql(
            """
            INSERT INTO vehicle_status (vehicle_id, fleet_id, online, online_changed_at,
                last_heard_at, idling, idling_since, revision)
            VALUES (?::uuid, ?::uuid, false, '2026-11-26T09:10:00Z', '2026-11-26T09:00:00Z', false,
                NULL, 3)""")
        .params(quiet, fleetId)
        .update();
    JsonNode status = api.get("/api/v1/vehicles/" + quiet + "/status", readOnlyToken).json();
    assertThat(status.get("status").stringValue()).isEqualTo("offline");
    assertThat(status.get("online").booleanValue()).isFalse();
    assertThat(status.get("since").stringValue()).isEqualTo("2026-11-26T09:10:00.000Z");
    assertThat(status.get("idling").booleanValue()).isFalse();
    assertThat(status.get("idlingSince").isNull()).isTrue();
    assertThat(status.get("latestPositionAt").isNull()).isTrue();
  }

  @Test
  void vehicleAnalyticsHasNotSeenHasUnknownStatus() throws Exception {
    ApiClient.Response response = api.get("/api/v1/vehicles/" + idle + "/status", readOnlyToken);
    assertThat(response.status()).isEqualTo(200);
    JsonNode status = response.json();
    assertThat(status.get("status").stringValue()).isEqualTo("unknown");
    assertThat(status.get("online").isNull()).isTrue();
    assertThat(status.get("since").isNull()).isTrue();
    assertThat(status.get("idling").isNull()).isTrue();
    assertThat(status.get("lastHeardAt").isNull()).isTrue();
  }

  private void assertBadRequest(String path, String field) throws Exception {
    ApiClient.Response response = api.get(path, readOnlyToken);
    assertThat(response.status()).as(path + " " + response.body()).isEqualTo(400);
    assertThat(response.json().get("field").stringValue()).as(path).isEqualTo(field);
  }
}
