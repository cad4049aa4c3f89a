package io.fleetline.api.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How each instance deletes the sign-in limits' counts that have drained away ({@code
 * fleetline.console.sign-in-limits.*}).
 *
 * @param cleanupInterval the pause between two runs
 * @param cleanupMaxRows the most rows one run deletes, so that a run after a flood stays short
 */
@ConfigurationProperties("fleetline.console.sign-in-limits")
record SignInLimitsCleanup(
    @DefaultValue("1m") Duration cleanupInterval, @DefaultValue("100000") int cleanupMaxRows) {

  SignInLimitsCleanup {
    if (cleanupMaxRows < 1 || cleanupInterval.isNegative() || cleanupInterval.isZero()) {
      throw new IllegalStateException(
          "fleetline.console.sign-in-limits: cleanup-max-rows must be 1 or more, the"
              + " cleanup-interval longer than zero");
    }
  }
}
