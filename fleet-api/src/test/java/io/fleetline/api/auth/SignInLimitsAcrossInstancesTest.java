package io.fleetline.api.auth;

import static io.fleetline.api.auth.SignInLimitsTestInstances.NEW_SESSIONS_PER_ADDRESS;
import static io.fleetline.api.auth.SignInLimitsTestInstances.WINDOW;
import static io.fleetline.api.auth.SignInLimitsTestInstances.WRONG_PASSWORDS_PER_ACCOUNT;
import static io.fleetline.api.auth.SignInLimitsTestInstances.WRONG_PASSWORDS_PER_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.auth.SignInLimitsTestInstances.Browser;
import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.api.user.FleetUsers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two fleet-api instances on one database, as behind a load balancer: the console's sign-in limits
 * are counted for both together, so attempts spread over them are refused at the same total as on
 * one instance. Each test signs in from source addresses of its own (X-Forwarded-For), so the tests
 * do not share counts. Time passes by moving a count's row back, never by waiting.
 */
@TestPropertySource(locations = SignInLimitsTestInstances.LIMITS)
class SignInLimitsAcrossInstancesTest extends FleetApiTest {

  @Autowired Environment environment;
  @Autowired FailedSignIns failedSignIns;
  @Autowired NewSignInSessions newSignInSessions;
  @Autowired SignInAttempts attempts;
  @Autowired FleetUsers users;
  @Autowired PlatformTransactionManager transactionManager;

  ConfigurableApplicationContext second;
  String a;
  String b;

  @BeforeAll
  void secondInstance() {
    second =
        SignInLimitsTestInstances.another(
            environment, brokers, environment.getProperty("spring.datasource.url"));
    a = "http://127.0.0.1:" + port;
    b = SignInLimitsTestInstances.baseUrl(second);
  }

  @AfterAll
  void stopSecondInstance() {
    if (second != null) {
      second.close();
    }
  }

  @Test
  void wrongPasswordsForOneAccountSpreadOverTwoInstancesAreRefusedAtTheSameTotalAsOnOne()
      throws Exception {
    String email = person();
    Browser guesser = new Browser("198.51.100.1");
    for (int i = 0; i < WRONG_PASSWORDS_PER_ACCOUNT; i++) {
      HttpResponse<String> wrong = guesser.signIn(i % 2 == 0 ? a : b, email, "guess " + i);
      assertThat(wrong.statusCode()).as("guess %d", i).isEqualTo(401);
    }

    // The right password, from elsewhere, on either instance: the account is limited on both.
    Browser owner = new Browser("198.51.100.2");
    for (String instance : List.of(a, b)) {
      HttpResponse<String> limited = owner.signIn(instance, email, ConsoleSignInTest.PASSWORD);
      assertThat(limited.statusCode()).as(instance).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      assertThat(limited.body()).contains("Too many failed sign-ins. Try again in");
    }
  }

  @Test
  void wrongPasswordsFromOneAddressSpreadOverTwoInstancesAreRefusedAtTheSameTotalAsOnOne()
      throws Exception {
    Browser guesser = new Browser("198.51.100.3");
    for (int i = 0; i < WRONG_PASSWORDS_PER_ADDRESS; i++) {
      HttpResponse<String> wrong =
          guesser.signIn(i % 2 == 0 ? a : b, "nobody-" + UUID.randomUUID() + "@fleet-a.test", "x");
      assertThat(wrong.statusCode()).as("guess %d", i).isEqualTo(401);
    }

    String email = person();
    for (String instance : List.of(a, b)) {
      HttpResponse<String> limited = guesser.signIn(instance, email, ConsoleSignInTest.PASSWORD);
      assertThat(limited.statusCode()).as(instance).isEqualTo(429);
    }
    assertThat(
            new Browser("198.51.100.4").signIn(b, email, ConsoleSignInTest.PASSWORD).statusCode())
        .isEqualTo(302);
  }

  @Test
  void newSignInSessionsSpreadOverTwoInstancesAreRefusedAtTheSameTotalAsOnOne() throws Exception {
    String address = "198.51.100.5";
    for (int i = 0; i < NEW_SESSIONS_PER_ADDRESS; i++) {
      HttpResponse<String> form = new Browser(address).get((i % 2 == 0 ? a : b) + "/console/login");
      assertThat(form.statusCode()).as("session %d", i).isEqualTo(200);
    }

    for (String instance : List.of(a, b)) {
      HttpResponse<String> limited = new Browser(address).get(instance + "/console/login");
      assertThat(limited.statusCode()).as(instance).isEqualTo(429);
      assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
          .isPositive();
      assertThat(limited.body()).contains("rate-limited");
      assertThat(limited.headers().allValues("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void accountLockedBySomeoneElseOpensAgainAStepAfterTheirLastGuessNotAWindowLater()
      throws Exception {
    String email = person();
    Browser guesser = new Browser("198.51.100.6");
    for (int i = 0; i < WRONG_PASSWORDS_PER_ACCOUNT; i++) {
      assertThat(guesser.signIn(i % 2 == 0 ? a : b, email, "guess " + i).statusCode())
          .isEqualTo(401);
    }
    Browser owner = new Browser("198.51.100.7");
    HttpResponse<String> limited = owner.signIn(a, email, ConsoleSignInTest.PASSWORD);
    assertThat(limited.statusCode()).isEqualTo(429);
    // One more try opens a fifth of the window after the last wrong password.
    Duration step = WINDOW.dividedBy(WRONG_PASSWORDS_PER_ACCOUNT);
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, step.toSeconds());

    passTime(attempts.accountRowKey(email), step);

    assertThat(owner.signIn(b, email, ConsoleSignInTest.PASSWORD).statusCode()).isEqualTo(302);
    // The sign-in did not count: the one try that opened is still there, then none.
    assertThat(guesser.signIn(a, email, "guess again").statusCode()).isEqualTo(401);
    assertThat(
            new Browser("198.51.100.7").signIn(b, email, ConsoleSignInTest.PASSWORD).statusCode())
        .isEqualTo(429);
  }

  @Test
  void newSignInSessionsOfAnAddressOpenAgainOnceTheWindowHasPassed() throws Exception {
    String address = "198.51.100.8";
    for (int i = 0; i < NEW_SESSIONS_PER_ADDRESS; i++) {
      assertThat(new Browser(address).get(a + "/console/login").statusCode()).isEqualTo(200);
    }
    assertThat(new Browser(address).get(b + "/console/login").statusCode()).isEqualTo(429);

    passTime(address, WINDOW);

    for (int i = 0; i < NEW_SESSIONS_PER_ADDRESS; i++) {
      HttpResponse<String> form = new Browser(address).get((i % 2 == 0 ? b : a) + "/console/login");
      assertThat(form.statusCode()).as("session %d", i).isEqualTo(200);
    }
    assertThat(new Browser(address).get(a + "/console/login").statusCode()).isEqualTo(429);
  }

  @Test
  void twentyConcurrentAttemptsOnTwoInstancesLetExactlyTheLimitOfWrongPasswordsThrough()
      throws Exception {
    FailedSignIns onB = second.getBean(FailedSignIns.class);
    String email = "concurrent-" + UUID.randomUUID() + "@fleet-a.test";

    List<Boolean> admitted =
        concurrently(
            20, i -> (i % 2 == 0 ? failedSignIns : onB).admit(email, "198.51.100.9").admitted());

    assertThat(admitted.stream().filter(Boolean::booleanValue))
        .hasSize(WRONG_PASSWORDS_PER_ACCOUNT);
  }

  @Test
  void twentyConcurrentNewSessionsOnTwoInstancesAreEachCounted() throws Exception {
    NewSignInSessions onB = second.getBean(NewSignInSessions.class);
    String address = "198.51.100.10";

    List<Duration> waits =
        concurrently(20, i -> (i % 2 == 0 ? newSignInSessions : onB).begin(address));

    assertThat(waits).allSatisfy(wait -> assertThat(wait).isZero());
    for (int i = 20; i < NEW_SESSIONS_PER_ADDRESS; i++) {
      assertThat(onB.begin(address)).as("session %d", i).isZero();
    }
    assertThat(newSignInSessions.begin(address)).isPositive();
  }

  @Test
  void drainedCountsAreDeletedAtMostTheSettingsRowsPerRun() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    jdbc.sql(
            "INSERT INTO sign_in_limits (kind, key, clear_at) SELECT"
                + " 'new_sign_in_session_address', ? || i, now() - interval '1 minute'"
                + " FROM generate_series(1, 2500) i")
        .param("drained-" + run + "-")
        .update();
    jdbc.sql(
            "INSERT INTO sign_in_limits (kind, key, clear_at)"
                + " VALUES ('failed_sign_in_account', ?, now() + interval '1 minute')")
        .param("counting-" + run)
        .update();

    assertThat(attempts.forgetDrained()).isBetween(1, 2000);
    while (attempts.forgetDrained() > 0) {
      // the rest, a run at a time
    }

    assertThat(rows("drained-" + run + "-%")).isZero();
    assertThat(rows("counting-" + run)).isOne();
  }

  @Test
  void longOrOddAddressesAndEveryEmailAreCountedUnderAShortHash() {
    assertThat(SignInAttempts.addressKey("203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(SignInAttempts.addressKey("2001:db8:1:2:0:0:0:0/64"))
        .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    String odd = "proxy-said-\u0000" + "x".repeat(10_000);
    assertThat(SignInAttempts.addressKey(odd)).startsWith("sha256:").hasSize(71);
    assertThat(attempts.accountRowKey("Someone@Fleet-A.test"))
        .isEqualTo(attempts.accountRowKey("someone@fleet-a.test"))
        .startsWith("sha256:")
        .hasSize(71)
        .doesNotContain("someone");

    // Counted like any other address or email, however long and whatever it holds.
    assertThat(newSignInSessions.begin(odd)).isZero();
    assertThat(failedSignIns.admit(odd, odd).admitted()).isTrue();
    assertThat(failedSignIns.admit("nul-\u0000@fleet-a.test", "198.51.100.11").admitted()).isTrue();
  }

  @Test
  void emailsThatReachOneAccountShareItsCountWhateverTheDatabaseLowersThemTo() throws Exception {
    // Letters Java and PostgreSQL may lower differently, depending on the database's locale: under
    // a glibc UTF-8 locale PostgreSQL lowers 'İ' to 'i' where Java makes "i" and U+0307; under the
    // C locale it leaves 'É' as it is where Java makes 'é'.
    String run = UUID.randomUUID().toString();
    Map<String, String> variantOf =
        Map.of(
            "christina-" + run + "@fleet-a.test", "chr\u0130stina-" + run + "@fleet-a.test",
            "\u00e9mile-" + run + "@fleet-a.test", "\u00c9mile-" + run + "@fleet-a.test");
    for (Map.Entry<String, String> emails : variantOf.entrySet()) {
      String email = person(emails.getKey());
      String variant = emails.getValue();
      boolean sameAccount = users.findByEmail(variant).isPresent();

      for (int i = 0; i < WRONG_PASSWORDS_PER_ACCOUNT; i++) {
        assertThat(failedSignIns.admit(variant, "198.51.100.12").admitted()).as(variant).isTrue();
      }

      assertThat(failedSignIns.admit(email, "198.51.100.13").admitted())
          .as("%s after %s, the same account: %s", email, variant, sameAccount)
          .isEqualTo(!sameAccount);
    }
  }

  @Test
  void refusedAddressIsRefusedAgainWithoutTouchingItsRow() throws Exception {
    String address = "198.51.100.14";
    for (int i = 0; i < NEW_SESSIONS_PER_ADDRESS; i++) {
      assertThat(new Browser(address).get(a + "/console/login").statusCode()).isEqualTo(200);
    }
    assertThat(new Browser(address).get(a + "/console/login").statusCode()).isEqualTo(429);

    // Counted in the database, the request would wait for the row (and be answered 503 once its
    // transaction timed out); refused from memory, it needs no row.
    HttpResponse<String> again =
        whileRowIsLocked(
            "new_sign_in_session_address",
            address,
            () -> new Browser(address).get(a + "/console/login"));

    assertThat(again.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow()))
        .isPositive();
    assertThat(again.body()).contains("rate-limited");
  }

  @Test
  void refusedAccountIsRefusedAgainWithoutTouchingItsRow() throws Exception {
    String email = person();
    for (int i = 0; i < WRONG_PASSWORDS_PER_ACCOUNT; i++) {
      assertThat(failedSignIns.admit(email, "198.51.100.15").admitted()).isTrue();
    }
    assertThat(failedSignIns.admit(email, "198.51.100.15").admitted()).isFalse();

    FailedSignIns.Admission again =
        whileRowIsLocked(
            "failed_sign_in_account",
            attempts.accountRowKey(email),
            () -> failedSignIns.admit(email, "198.51.100.16"));

    assertThat(again.admitted()).isFalse();
    assertThat(again.retryIn()).isPositive();
  }

  // ---------------------------------------------------------------------------------------------

  /** Runs the call while another transaction holds the lock of a count's row. */
  private <T> T whileRowIsLocked(String kind, String key, Callable<T> call) {
    return new TransactionTemplate(transactionManager)
        .execute(
            status -> {
              assertThat(
                      jdbc.sql(
                              "SELECT count(*) FROM (SELECT 1 FROM sign_in_limits"
                                  + " WHERE kind = ? AND key = ? FOR UPDATE) locked")
                          .params(kind, key)
                          .query(Long.class)
                          .single())
                  .isOne();
              try {
                return call.call();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /**
   * Moves a key's counts back by the given time, as if that time had passed; the instances forget
   * the refusals they remember, as they would once that time had passed.
   */
  private void passTime(String key, Duration passed) {
    attempts.forgetRefusals();
    second.getBean(SignInAttempts.class).forgetRefusals();
    int moved =
        jdbc.sql(
                "UPDATE sign_in_limits SET clear_at = clear_at - ? * interval '1 millisecond'"
                    + " WHERE key = ?")
            .params(passed.toMillis(), key)
            .update();
    assertThat(moved).isPositive();
  }

  private long rows(String keyPattern) {
    return jdbc.sql("SELECT count(*) FROM sign_in_limits WHERE key LIKE ?")
        .param(keyPattern)
        .query(Long.class)
        .single();
  }

  /** A new person of the fleet, with the tests' password. */
  private String person() throws Exception {
    return person("limited-" + UUID.randomUUID() + "@fleet-a.test");
  }

  private String person(String email) throws Exception {
    ApiClient.Response created =
        api.post(
            "/api/v1/admin/fleets/" + fleetId + "/users",
            adminToken,
            "{\"email\":\""
                + email
                + "\",\"displayName\":\"Limited\",\"role\":\"viewer\",\"password\":\""
                + ConsoleSignInTest.PASSWORD
                + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return email;
  }

  private interface Attempt<T> {
    T run(int i) throws Exception;
  }

  /** Runs the attempts on as many threads, all released at once; their answers in order. */
  private static <T> List<T> concurrently(int threads, Attempt<T> attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        Callable<T> task =
            () -> {
              start.await();
              return attempt.run(n);
            };
        answers.add(pool.submit(task));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> answer : answers) {
        results.add(answer.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
