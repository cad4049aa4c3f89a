package io.fleetline.api.paging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every paged endpoint reads {@code limit} and {@code cursor} alike: the same problem for the same
 * bad value, the default for an empty limit.
 */
class PagingTest extends FleetApiTest {

  List<String> lists;

  @BeforeAll
  void pagedEndpoints() throws Exception {
    String vehicle = createVehicle(fleetToken, "Paged");
    String window = "from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z";
    lists =
        List.of(
            "/api/v1/vehicles?",
            "/api/v1/geofences?",
            "/api/v1/events?",
            "/api/v1/positions?bbox=-180,-90,180,90&",
            "/api/v1/vehicles/" + vehicle + "/track?" + window + "&",
            "/api/v1/vehicles/" + vehicle + "/trips?",
            "/api/v1/vehicles/" + vehicle + "/stops?");
  }

  @Test
  void aLimitOutsideOneToAThousandIsTheSameProblemEverywhere() throws Exception {
    for (String list : lists) {
      assertProblem(list + "limit=0", "limit", "limit must be greater than or equal to 1");
      assertProblem(list + "limit=-5", "limit", "limit must be greater than or equal to 1");
      assertProblem(list + "limit=1001", "limit", "limit must be less than or equal to 1000");
      assertProblem(list + "limit=2147483647", "limit", "limit must be less than or equal to 1000");
    }
  }

  @Test
  void aLimitThatIsNoIntegerIsTheSameProblemEverywhere() throws Exception {
    for (String list : lists) {
      assertProblem(list + "limit=ten", "limit", "limit has an invalid value 'ten'");
      assertProblem(list + "limit=1.5", "limit", "limit has an invalid value '1.5'");
      assertProblem(
          list + "limit=99999999999", "limit", "limit has an invalid value '99999999999'");
    }
  }

  @Test
  void anEmptyLimitIsTheDefaultAndALimitInRangeIsTaken() throws Exception {
    for (String list : lists) {
      for (String limit : List.of("limit=", "limit=1", "limit=1000", "")) {
        ApiClient.Response response = api.get(list + limit, readOnlyToken);

        assertThat(response.status()).as(list + limit + ": " + response.body()).isEqualTo(200);
        assertThat(response.json().has("items")).isTrue();
      }
    }
  }

  @Test
  void aCursorThisApiDidNotIssueIsTheSameProblemEverywhere() throws Exception {
    for (String list : lists) {
      assertProblem(list + "cursor=%25%25", "cursor", "the cursor is not one this API issued");
      // base64url of "not-a-key"
      assertProblem(
          list + "cursor=bm90LWEta2V5", "cursor", "the cursor is not one this API issued");
    }
  }

  private void assertProblem(String path, String field, String detail) throws Exception {
    ApiClient.Response response = api.get(path, readOnlyToken);

    assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(400);
    assertThat(response.contentType()).as(path).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("type").stringValue())
        .isEqualTo("https://fleetline.io/problems/invalid-request");
    assertThat(problem.get("title").stringValue()).isEqualTo("Invalid request");
    assertThat(problem.get("field").stringValue()).as(path).isEqualTo(field);
    assertThat(problem.get("detail").stringValue()).as(path).isEqualTo(detail);
    assertThat(problem.get("instance").stringValue())
        .isEqualTo(path.substring(0, path.indexOf('?')));
  }
}
