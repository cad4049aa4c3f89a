package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.auth.FailedClientAuthentications.AttemptOrWait;
import io.fleetline.api.limits.SourceAddresses;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The failure buckets' arithmetic, trusted addresses and memory bound, with time passed in. */
class FailedClientAuthenticationsTest {

  static final long SECOND = 1_000_000_000L;

  static FailedClientAuthentications limits(int perPair, int perAddress, int perClient, int max) {
    return new FailedClientAuthentications(
        new ClientAuthenticationLimits(
            true,
            perPair,
            perAddress,
            perClient,
            Duration.ofMinutes(1),
            max,
            4,
            Duration.ofSeconds(5),
            Duration.ofDays(7)));
  }

  /** An attempt that is admitted and fails; false when it is refused. */
  static boolean fail(FailedClientAuthentications failures, String id, String address, long now) {
    AttemptOrWait admitted = failures.admit(id, address, now);
    if (admitted.attempt() == null) {
      return false;
    }
    failures.failed(admitted.attempt(), now);
    return true;
  }

  static boolean succeed(
      FailedClientAuthentications failures, String id, String address, long now) {
    AttemptOrWait admitted = failures.admit(id, address, now);
    if (admitted.attempt() == null) {
      return false;
    }
    failures.succeeded(admitted.attempt(), now);
    return true;
  }

  @Test
  void anAttackerCyclingIdsAndAddressesDoesNotGrowMemoryBeyondTheBound() {
    FailedClientAuthentications failures = limits(10, 30, 100, 100);

    for (int i = 0; i < 10_000; i++) {
      fail(failures, "flc_" + i, "10.0." + (i / 256 % 256) + "." + (i % 256), i);
    }

    assertThat(failures.tracked()).isLessThanOrEqualTo(100);
  }

  @Test
  void failuresRefillEvenlyOverTheWindow() {
    FailedClientAuthentications failures = limits(2, 30, 100, 100);

    assertThat(fail(failures, "a", "10.0.0.1", 0)).isTrue();
    assertThat(fail(failures, "a", "10.0.0.1", 0)).isTrue();
    AttemptOrWait third = failures.admit("a", "10.0.0.1", 0);

    assertThat(third.attempt()).isNull();
    assertThat(third.waitNanos()).isBetween(29 * SECOND, 30 * SECOND);
    assertThat(failures.admit("a", "10.0.0.1", 30 * SECOND).attempt()).isNotNull();
  }

  @Test
  void successfulAttemptsAreNoFailures() {
    FailedClientAuthentications failures = limits(2, 2, 2, 100);

    for (int i = 0; i < 50; i++) {
      assertThat(succeed(failures, "a", "10.0.0.1", 0)).as("attempt %d", i).isTrue();
    }
  }

  @Test
  void attemptsInProgressAreNoFailuresYet() {
    FailedClientAuthentications failures = limits(1, 1, 1, 100);

    AttemptOrWait first = failures.admit("a", "10.0.0.1", 0);
    AttemptOrWait second = failures.admit("a", "10.0.0.1", 0);

    assertThat(first.attempt()).isNotNull();
    assertThat(second.attempt()).as("while the first is being checked").isNotNull();
  }

  @Test
  void guessesSpreadOverManyAddressesEachSlowStopAtThePerClientBound() {
    FailedClientAuthentications failures = limits(10, 30, 100, 100_000);
    long now = 0;
    int failed = 0;

    // One guess per address per refill interval of the pair: no address ever looks busy.
    for (int i = 0; i < 1_000; i++) {
      now += SECOND / 10;
      if (fail(failures, "victim", "10.1." + (i / 256) + "." + (i % 256), now)) {
        failed++;
      }
    }

    // 100 per minute, refilled over the 100 seconds of the attack: about 266, never 1000.
    assertThat(failed).isLessThan(300);
  }

  @Test
  void theClientFromAnAddressItAuthenticatedFromIsAdmittedWhileOthersExhaustItsBound() {
    FailedClientAuthentications failures = limits(5, 30, 6, 100);
    assertThat(succeed(failures, "victim", "192.0.2.1", 0)).isTrue();
    for (int i = 0; i < 6; i++) {
      assertThat(fail(failures, "victim", "10.0.0." + i, 0)).isTrue();
    }

    assertThat(failures.admit("victim", "10.0.0.99", 0).attempt())
        .as("an address the client has not used")
        .isNull();
    assertThat(succeed(failures, "victim", "192.0.2.1", 0)).as("its own address").isTrue();
  }

  @Test
  void aTrustedClientIsNotHeldBackByOthersFailingFromItsAddressButByItsOwnFailures() {
    FailedClientAuthentications failures = limits(3, 5, 100, 100);
    assertThat(succeed(failures, "client", "203.0.113.9", 0)).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(fail(failures, "guess" + i, "203.0.113.9", 0)).isTrue();
    }
    assertThat(failures.admit("stranger", "203.0.113.9", 0).attempt())
        .as("the address has failed enough")
        .isNull();

    assertThat(succeed(failures, "client", "203.0.113.9", 0)).isTrue();
    for (int i = 0; i < 3; i++) {
      assertThat(fail(failures, "client", "203.0.113.9", 0)).isTrue();
    }
    assertThat(failures.admit("client", "203.0.113.9", 0).attempt())
        .as("its own pair's failures")
        .isNull();
  }

  @Test
  void trustExpires() {
    FailedClientAuthentications failures = limits(5, 30, 1, 100);
    long week = Duration.ofDays(7).toNanos();
    assertThat(succeed(failures, "client", "192.0.2.1", 0)).isTrue();
    assertThat(fail(failures, "client", "10.0.0.1", week)).isTrue();

    assertThat(failures.admit("client", "192.0.2.1", week).attempt()).isNotNull();
    assertThat(failures.admit("client", "192.0.2.1", week + 1).attempt())
        .as("a week after its last success, while its id has failed elsewhere just now")
        .isNull();
  }

  @Test
  void cyclingRandomIdsDoesNotResetAnotherClientsCount() {
    FailedClientAuthentications failures = limits(10, 30, 6, 1_000);
    for (int i = 0; i < 6; i++) {
      assertThat(fail(failures, "victim", "10.0.0." + i, 0)).isTrue();
    }

    for (int i = 0; i < 100_000; i++) {
      fail(failures, "flc_random" + i, "198.51.100.7", 0);
    }

    assertThat(failures.tracked()).as("refused attempts remember nothing").isLessThan(50);
    assertThat(failures.admit("victim", "10.0.0.200", 0).attempt()).isNull();
  }

  @Test
  void anIpv6SubscriberIsOneAddressAcrossItsSlash64() {
    assertThat(SourceAddresses.key("2001:db8:1:2:3:4:5:6"))
        .isEqualTo(SourceAddresses.key("2001:db8:1:2:ffff::1"))
        .isNotEqualTo(SourceAddresses.key("2001:db8:1:3::1"));
    assertThat(SourceAddresses.key("192.0.2.7")).isEqualTo("192.0.2.7");
  }

  @Test
  void aNameIsItsOwnKeyAndNeverLookedUp() {
    assertThat(SourceAddresses.key("localhost")).isEqualTo("localhost");
    assertThat(SourceAddresses.key("1:::2")).isEqualTo("1:::2");
    assertThat(SourceAddresses.key("deadbeef")).isEqualTo("deadbeef");
    assertThat(SourceAddresses.key("[2001:db8::1]")).isEqualTo("2001:db8:0:0:0:0:0:0/64");
  }
}
