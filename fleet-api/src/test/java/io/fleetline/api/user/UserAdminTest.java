package io.fleetline.api.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A fleet's people are managed by platform administrators and by the fleet's own administrators,
 * never by another fleet's; password hashes never leave the server.
 */
class UserAdminTest extends FleetApiTest {

  private String users(String fleet) {
    return "/api/v1/admin/fleets/" + fleet + "/users";
  }

  private static String person(String email, String role, String password) {
    return "{\"email\":\""
        + email
        + "\",\"displayName\":\"Dana\",\"role\":\""
        + role
        + "\""
        + (password == null ? "" : ",\"password\":\"" + password + "\"")
        + "}";
  }

  private static String email() {
    return "dana-" + UUID.randomUUID() + "@fleet.test";
  }

  @Test
  void generatedPasswordIsAnsweredOnceAndNoHashEverLeaves() throws Exception {
    ApiClient.Response created =
        api.post(users(fleetId), fleetToken, person(email(), "manager", null));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String password = created.json().get("generatedPassword").stringValue();
    assertThat(password).hasSizeGreaterThanOrEqualTo(UserPasswords.MIN_LENGTH);
    String id = created.json().get("id").stringValue();

    ApiClient.Response one = api.get(users(fleetId) + "/" + id, fleetToken);
    ApiClient.Response list = api.get(users(fleetId), fleetToken);
    for (ApiClient.Response answer : new ApiClient.Response[] {created, one, list}) {
      assertThat(answer.body()).doesNotContain("argon2").doesNotContainIgnoringCase("hash");
    }
    assertThat(one.body()).doesNotContain(password).doesNotContain("generatedPassword");
    assertThat(list.body()).contains(id);
    String stored =
        jdbc.sql("SELECT password_hash FROM fleet_users WHERE id = ?::uuid")
            .param(id)
            .query(String.class)
            .single();
    assertThat(stored).startsWith("$argon2id$").doesNotContain(password);
  }

  @Test
  void emailIsUniqueWhateverItsCase() throws Exception {
    String email = email();
    assertThat(api.post(users(fleetId), fleetToken, person(email, "viewer", null)).status())
        .isEqualTo(201);
    ApiClient.Response again =
        api.post(users(otherFleetId), otherFleetToken, person(email.toUpperCase(), "viewer", null));
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void passwordsOutsideTheLengthBoundsAreRefused() throws Exception {
    ApiClient.Response tooShort =
        api.post(users(fleetId), fleetToken, person(email(), "viewer", "short"));
    assertThat(tooShort.status()).isEqualTo(400);
    assertThat(tooShort.body()).contains("password");
    ApiClient.Response tooLong =
        api.post(users(fleetId), fleetToken, person(email(), "viewer", "x".repeat(100_000)));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body()).contains("password");
  }

  @Test
  void unknownRoleIsRefused() throws Exception {
    assertThat(api.post(users(fleetId), fleetToken, person(email(), "root", null)).status())
        .isEqualTo(400);
  }

  @Test
  void fleetAdminCannotManageAnotherFleetsPeople() throws Exception {
    String id =
        api.post(users(fleetId), fleetToken, person(email(), "viewer", null))
            .json()
            .get("id")
            .stringValue();
    assertThat(api.get(users(fleetId), otherFleetToken).status()).isEqualTo(404);
    assertThat(api.get(users(fleetId) + "/" + id, otherFleetToken).status()).isEqualTo(404);
    assertThat(
            api.post(users(fleetId), otherFleetToken, person(email(), "fleet_admin", null))
                .status())
        .isEqualTo(404);
    assertThat(
            api.patch(users(fleetId) + "/" + id, otherFleetToken, "{\"role\":\"fleet_admin\"}")
                .status())
        .isEqualTo(404);
    assertThat(api.delete(users(fleetId) + "/" + id, otherFleetToken).status()).isEqualTo(404);
    // Nor through their own fleet's path.
    assertThat(api.get(users(otherFleetId) + "/" + id, otherFleetToken).status()).isEqualTo(404);
    assertThat(api.get(users(fleetId) + "/" + id, fleetToken).status()).isEqualTo(200);
  }

  @Test
  void platformAdminManagesAnyFleetsPeople() throws Exception {
    ApiClient.Response created =
        api.post(users(otherFleetId), adminToken, person(email(), "viewer", null));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").stringValue();
    JsonNode changed =
        api.patch(
                users(otherFleetId) + "/" + id,
                adminToken,
                "{\"role\":\"manager\",\"displayName\":\"Dana B\"}")
            .json();
    assertThat(changed.get("role").stringValue()).isEqualTo("manager");
    assertThat(changed.get("displayName").stringValue()).isEqualTo("Dana B");
    assertThat(api.delete(users(otherFleetId) + "/" + id, adminToken).status()).isEqualTo(204);
    assertThat(api.get(users(otherFleetId) + "/" + id, adminToken).status()).isEqualTo(404);
  }

  @Test
  void peopleAdministrationNeedsTheFleetAdminScope() throws Exception {
    assertThat(api.get(users(fleetId), null).status()).isEqualTo(401);
    assertThat(api.get(users(fleetId), readOnlyToken).status()).isEqualTo(403);
    assertThat(api.post(users(fleetId), readOnlyToken, person(email(), "viewer", null)).status())
        .isEqualTo(403);
  }
}
