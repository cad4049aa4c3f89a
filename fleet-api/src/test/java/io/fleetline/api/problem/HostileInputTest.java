package io.fleetline.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Inputs a hostile or careless client sends: each is a 4xx problem naming what is wrong, never a
 * 500, and a 409 only for a real conflict.
 */
class HostileInputTest extends FleetApiTest {

  @Test
  void nulCharactersInVehicleTextAre400NamingTheField() throws Exception {
    ApiClient.Response created =
        api.post("/api/v1/vehicles", fleetToken, "{\"name\":\"Van\\u0000 1\"}");
    assertProblem(created, 400, "name");
    String id = createVehicle(fleetToken, "Van 2");
    assertProblem(
        api.patch("/api/v1/vehicles/" + id, fleetToken, "{\"plate\":\"B\\u0000X\"}"), 400, "plate");
    assertProblem(
        api.patch("/api/v1/vehicles/" + id, fleetToken, "{\"vin\":\"V\\u0000\"}"), 400, "vin");
  }

  @Test
  void unpairedSurrogatesInVehicleTextAre400NamingTheField() throws Exception {
    assertProblem(
        api.post("/api/v1/vehicles", fleetToken, "{\"name\":\"a\\ud800b\"}"), 400, "name");
    ApiClient.Response paired =
        api.post("/api/v1/vehicles", fleetToken, "{\"name\":\"Van \\ud83d\\ude9a\"}");
    assertThat(paired.status()).as("a paired surrogate is a character").isEqualTo(201);
  }

  @Test
  void aMissingDeviceInTheListIs400NamingIt() throws Exception {
    assertProblem(
        api.post("/api/v1/vehicles", fleetToken, "{\"name\":\"x\",\"devices\":[null]}"),
        400,
        "devices[0]");
  }

  @Test
  void aVinAlreadyUsedInTheFleetIsARealConflict() throws Exception {
    assertThat(
            api.post("/api/v1/vehicles", fleetToken, "{\"name\":\"A\",\"vin\":\"VIN-1\"}").status())
        .isEqualTo(201);
    ApiClient.Response second =
        api.post("/api/v1/vehicles", fleetToken, "{\"name\":\"B\",\"vin\":\"VIN-1\"}");
    assertThat(second.status()).as(second.body()).isEqualTo(409);
    assertThat(second.contentType()).startsWith("application/problem+json");
  }

  @Test
  void cursorsOfInstantsBeyondWhatTheDatabaseHoldsAre400NamingTheCursor() throws Exception {
    String vehicle = createVehicle(fleetToken, "Paged");
    String beforeTime =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.UTF_8));
    for (String list : new String[] {"trips", "stops"}) {
      assertProblem(
          api.get("/api/v1/vehicles/" + vehicle + "/" + list + "?cursor=" + beforeTime, fleetToken),
          400,
          "cursor");
    }
  }

  private static void assertProblem(ApiClient.Response response, int status, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().path("field").asString("")).isEqualTo(field);
  }
}
