package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.fleetline.api.auth.SignInLimitsTestInstances.Browser;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.api.user.FleetUsers;
import io.fleetline.api.user.UserPasswords;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.test.context.TestPropertySource;

/**
 * A fleet-api instance whose database goes away: the sign-in limits cannot be counted, so signing
 * in is refused with 503 instead of letting attempts through uncounted.
 */
@TestPropertySource(locations = SignInLimitsTestInstances.LIMITS)
class SignInWithoutTheDatabaseTest extends FleetApiTest {

  @Autowired Environment environment;

  DatabaseRelay relay;
  ConfigurableApplicationContext cutOff;

  @BeforeAll
  void instanceBehindARelay() throws Exception {
    relay = new DatabaseRelay(environment.getProperty("spring.datasource.url"));
    // With the pool's own settings: it waits for a connection no longer than an attempt waits
    // for the database, so a refusal is not held up half a minute by the pool.
    cutOff = SignInLimitsTestInstances.another(environment, brokers, relay.jdbcUrl());
  }

  @AfterAll
  void stopInstanceAndRelay() {
    if (cutOff != null) {
      cutOff.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void signInIsRefusedWith503InsteadOfUncountedWhenTheDatabaseIsUnreachable() throws Exception {
    String instance = SignInLimitsTestInstances.baseUrl(cutOff);
    assertThat(cutOff.getBean(HikariDataSource.class).getConnectionTimeout()).isEqualTo(5000);
    assertThat(new Browser("203.0.113.1").get(instance + "/console/login").statusCode())
        .isEqualTo(200);

    relay.cut();

    HttpResponse<String> form = new Browser("203.0.113.2").get(instance + "/console/login");
    assertThat(form.statusCode()).isEqualTo(503);
    assertThat(form.headers().firstValue("Retry-After")).hasValue("60");
    assertThat(form.body()).contains("sign-in-unavailable");

    // The password form's check, on the same instance's parts: no password is checked.
    var signIn =
        new FleetUserSignIn(
            cutOff.getBean(FleetUsers.class),
            cutOff.getBean(UserPasswords.class),
            cutOff.getBean(FailedSignIns.class),
            cutOff.getBean(ClientAuthenticationLimits.class));
    Throwable refused =
        catchThrowable(
            () ->
                signIn.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated(
                        "someone@fleet-a.test", "a guess")));
    assertThat(refused).isInstanceOf(FleetUserSignIn.SignInUnavailable.class);

    MockHttpServletResponse answer = new MockHttpServletResponse();
    cutOff
        .getBean(SignInPage.class)
        .refused(new MockHttpServletRequest(), answer, (AuthenticationException) refused);
    assertThat(answer.getStatus()).isEqualTo(503);
    assertThat(answer.getHeader("Retry-After")).isEqualTo("60");
    assertThat(answer.getContentAsString()).contains("Signing in is not possible just now.");
  }
}
