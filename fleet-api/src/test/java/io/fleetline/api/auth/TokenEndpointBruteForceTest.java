package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.api.testing.RawHttp;
import io.fleetline.api.testing.RawHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Guessing client secrets at the token endpoint: failures are limited per (client id, address), per
 * address and per client id, answered 429 before any secret is hashed, without locking a client out
 * of its own address; an unknown id costs the same hash check as a wrong secret. Each test speaks
 * from its own loopback addresses. The window is an hour so that no bucket refills during a test,
 * however slow the machine.
 */
@TestPropertySource(
    properties = {
      "fleetline.auth.failed-authentications.per-client-and-address=5",
      "fleetline.auth.failed-authentications.per-address=8",
      "fleetline.auth.failed-authentications.per-client=6",
      "fleetline.auth.failed-authentications.window=1h",
      "fleetline.auth.failed-authentications.max-concurrent=1",
      "fleetline.auth.failed-authentications.max-concurrent-wait=10s"
    })
@Import(TokenEndpointBruteForceTest.CountedHashChecks.class)
// Its own context (limits, counting encoder): closed after the class rather than kept running.
@DirtiesContext
class TokenEndpointBruteForceTest extends FleetApiTest {

  /** Secret hash verifications ({@link PasswordEncoder#matches}) since the last reset. */
  static final AtomicInteger hashChecks = new AtomicInteger();

  /** A check of one of these secrets waits inside the encoder until its latch is counted down. */
  static final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

  static final AtomicInteger held = new AtomicInteger();

  @TestConfiguration
  static class CountedHashChecks {
    @Bean
    static BeanPostProcessor countHashChecks() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (!(bean instanceof PasswordEncoder passwords)) {
            return bean;
          }
          return new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
              return passwords.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
              hashChecks.incrementAndGet();
              CountDownLatch release = holds.get(raw.toString());
              if (release != null) {
                held.incrementAndGet();
                try {
                  release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return passwords.matches(raw, encoded);
            }

            @Override
            public boolean upgradeEncoding(String encoded) {
              return passwords.upgradeEncoding(encoded);
            }
          };
        }
      };
    }
  }

  @Autowired List<SecurityFilterChain> securityFilterChains;

  RawHttp http;

  @BeforeAll
  void raw() {
    http = new RawHttp(port);
  }

  @Test
  void guessingOneClientsSecretIs429BeforeHashingWhileItAndOthersStillGetTokensElsewhere()
      throws Exception {
    JsonNode victim = createClient(fleetId, "fleet.read");
    JsonNode other = createClient(fleetId, "fleet.read");
    String victimId = victim.get("clientId").stringValue();

    for (int i = 0; i < 5; i++) {
      assertThat(http.token("127.0.0.3", victimId, "guess-" + i).status()).isEqualTo(401);
    }
    hashChecks.set(0);
    Answer limited = http.token("127.0.0.3", victimId, "guess-5");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    assertThat(hashChecks).as("no secret hashed for a refused attempt").hasValue(0);
    assertThat(http.token("127.0.0.3", victimId, victim.get("clientSecret").stringValue()).status())
        .as("the right secret from the guessing address waits too")
        .isEqualTo(429);
    assertThat(http.token("127.0.0.4", victimId, victim.get("clientSecret").stringValue()).status())
        .as("the client itself, from its own address")
        .isEqualTo(200);
    assertThat(
            http.token(
                    "127.0.0.4",
                    other.get("clientId").stringValue(),
                    other.get("clientSecret").stringValue())
                .status())
        .as("another client from another address")
        .isEqualTo(200);
  }

  @Test
  void guessesSentAsFormParametersAreLimitedToo() throws Exception {
    String victimId = createClient(fleetId, "fleet.read").get("clientId").stringValue();
    // A bearer header does not hide the form's credentials from the limit.
    String header = "Authorization: Bearer not-a-client-credential\r\n";
    List<Integer> statuses = new ArrayList<>();

    for (int i = 0; i < 6; i++) {
      byte[] form =
          ("grant_type=client_credentials&client_id=" + victimId + "&client_secret=guess-" + i)
              .getBytes(StandardCharsets.US_ASCII);
      statuses.add(http.send("127.0.0.14", "POST", "/oauth2/token", header, form).status());
    }

    assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429);
  }

  @Test
  void cyclingClientIdsFromOneAddressIsLimitedByTheAddress() throws Exception {
    for (int i = 0; i < 8; i++) {
      assertThat(http.token("127.0.0.5", "flc_unknown" + i, "guess").status()).isEqualTo(401);
    }

    Answer limited = http.token("127.0.0.5", "flc_unknown-next", "guess");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(http.token("127.0.0.6", "flc_unknown-next", "guess").status())
        .as("another address")
        .isEqualTo(401);
  }

  @Test
  void guessesSpreadOverAddressesStopAtThePerClientBoundButTheClientsOwnAddressIsAdmitted()
      throws Exception {
    JsonNode victim = createClient(fleetId, "fleet.read");
    String victimId = victim.get("clientId").stringValue();
    String secret = victim.get("clientSecret").stringValue();
    assertThat(http.token("127.0.0.10", victimId, secret).status())
        .as("the client, from its usual address, before the attack")
        .isEqualTo(200);
    // One guess from each address: none of them has failed enough to be held back by itself.
    for (int i = 0; i < 6; i++) {
      assertThat(http.token("127.0.1." + (i + 1), victimId, "guess-" + i).status()).isEqualTo(401);
    }

    assertThat(http.token("127.0.1.7", victimId, "guess-6").status())
        .as("a seventh address guessing, after six failures of this id")
        .isEqualTo(429);
    assertThat(http.token("127.0.1.8", victimId, secret).status())
        .as("even the right secret from an address the client has not used")
        .isEqualTo(429);
    assertThat(http.token("127.0.0.10", victimId, secret).status())
        .as("the client, from the address it authenticated from before")
        .isEqualTo(200);
  }

  @Test
  void clientAuthenticationsBeyondTheConcurrentBoundWaitForOneToFinish() throws Exception {
    String heldSecret = "held-while-another-waits";
    CountDownLatch release = new CountDownLatch(1);
    holds.put(heldSecret, release);
    String guessedId = createClient(fleetId, "fleet.read").get("clientId").stringValue();
    JsonNode other = createClient(fleetId, "fleet.read");
    ClientAuthenticationLimitFilter limit = limitFilter();
    int heldBefore = held.get();
    CompletableFuture<Answer> slowGuess = tokenAsync("127.0.0.16", guessedId, heldSecret);
    CompletableFuture<Answer> waiting;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> held.get() == heldBefore + 1);
      waiting =
          tokenAsync(
              "127.0.0.17",
              other.get("clientId").stringValue(),
              other.get("clientSecret").stringValue());
      await().atMost(Duration.ofSeconds(30)).until(() -> limit.waiting() == 1);
    } finally {
      release.countDown();
    }

    assertThat(slowGuess.get(30, TimeUnit.SECONDS).status()).isEqualTo(401);
    assertThat(waiting.get(30, TimeUnit.SECONDS).status())
        .as("a token request queued behind the check in progress")
        .isEqualTo(200);
  }

  private CompletableFuture<Answer> tokenAsync(String from, String clientId, String secret) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return http.token(from, clientId, secret);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private ClientAuthenticationLimitFilter limitFilter() {
    return securityFilterChains.stream()
        .flatMap(chain -> chain.getFilters().stream())
        .filter(ClientAuthenticationLimitFilter.class::isInstance)
        .map(ClientAuthenticationLimitFilter.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void clientAuthenticationsBeyondTheConcurrentBoundAre429AfterTheWaitWhateverTheirAddress()
      throws Exception {
    String heldSecret = "held-in-the-hash-check";
    CountDownLatch release = new CountDownLatch(1);
    holds.put(heldSecret, release);
    String guessedId = createClient(fleetId, "fleet.read").get("clientId").stringValue();
    JsonNode other = createClient(fleetId, "fleet.read");
    int heldBefore = held.get();
    CompletableFuture<Answer> slowGuess = tokenAsync("127.0.0.12", guessedId, heldSecret);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> held.get() == heldBefore + 1);

      Answer meanwhile =
          http.token(
              "127.0.0.13",
              other.get("clientId").stringValue(),
              other.get("clientSecret").stringValue());

      assertThat(meanwhile.status()).isEqualTo(429);
      assertThat(meanwhile.header("Retry-After")).isEqualTo("1");
    } finally {
      release.countDown();
    }
    assertThat(slowGuess.get(30, TimeUnit.SECONDS).status()).isEqualTo(401);
    assertThat(
            http.token(
                    "127.0.0.13",
                    other.get("clientId").stringValue(),
                    other.get("clientSecret").stringValue())
                .status())
        .as("once the check in progress is done")
        .isEqualTo(200);
  }

  @Test
  void anUnknownClientIdCostsTheSameHashCheckAsAWrongSecretAndIsAnsweredAlike() throws Exception {
    String knownId = createClient(fleetId, "fleet.read").get("clientId").stringValue();

    hashChecks.set(0);
    Answer wrongSecret = http.token("127.0.0.11", knownId, "wrong-secret");
    int wrongSecretChecks = hashChecks.getAndSet(0);
    Answer unknownId = http.token("127.0.0.11", "flc_doesnotexist", "wrong-secret");
    int unknownIdChecks = hashChecks.getAndSet(0);

    assertThat(wrongSecretChecks).isEqualTo(1);
    assertThat(unknownIdChecks).isEqualTo(1);
    assertThat(unknownId.status()).isEqualTo(wrongSecret.status()).isEqualTo(401);
    assertThat(unknownId.body()).isEqualTo(wrongSecret.body());
  }
}
