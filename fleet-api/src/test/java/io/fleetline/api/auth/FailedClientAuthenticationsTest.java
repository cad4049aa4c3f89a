package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.auth.FailedClientAuthentications.AttemptOrWait;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The failure buckets' arithmetic and memory bound, with time passed in. */
class FailedClientAuthenticationsTest {

  static final long SECOND = 1_000_000_000L;

  static FailedClientAuthentications limits(int perPair, int perAddress, int perClient, int max) {
    return new FailedClientAuthentications(
        new ClientAuthenticationLimits(
            true, perPair, perAddress, perClient, Duration.ofMinutes(1), max, 4));
  }

  @Test
  void anAttackerCyclingIdsAndAddressesDoesNotGrowMemoryBeyondTheBound() {
    FailedClientAuthentications failures = limits(10, 30, 100, 100);

    for (int i = 0; i < 10_000; i++) {
      failures.admit("flc_" + i, "10.0." + (i / 256 % 256) + "." + (i % 256), i);
    }

    assertThat(failures.tracked()).isLessThanOrEqualTo(100);
  }

  @Test
  void failuresRefillEvenlyOverTheWindow() {
    FailedClientAuthentications failures = limits(2, 30, 100, 100);

    assertThat(failures.admit("a", "10.0.0.1", 0).attempt()).isNotNull();
    assertThat(failures.admit("a", "10.0.0.1", 0).attempt()).isNotNull();
    AttemptOrWait third = failures.admit("a", "10.0.0.1", 0);

    assertThat(third.attempt()).isNull();
    assertThat(third.waitNanos()).isBetween(29 * SECOND, 30 * SECOND);
    assertThat(failures.admit("a", "10.0.0.1", 30 * SECOND).attempt()).isNotNull();
  }

  @Test
  void successfulAttemptsAreNoFailures() {
    FailedClientAuthentications failures = limits(2, 2, 2, 100);

    for (int i = 0; i < 50; i++) {
      AttemptOrWait admitted = failures.admit("a", "10.0.0.1", 0);
      assertThat(admitted.attempt()).as("attempt %d", i).isNotNull();
      failures.noFailure(admitted.attempt());
    }
  }

  @Test
  void anIpv6SubscriberIsOneAddressAcrossItsSlash64() {
    assertThat(ClientAuthenticationLimitFilter.addressKey("2001:db8:1:2:3:4:5:6"))
        .isEqualTo(ClientAuthenticationLimitFilter.addressKey("2001:db8:1:2:ffff::1"))
        .isNotEqualTo(ClientAuthenticationLimitFilter.addressKey("2001:db8:1:3::1"));
    assertThat(ClientAuthenticationLimitFilter.addressKey("192.0.2.7")).isEqualTo("192.0.2.7");
  }
}
