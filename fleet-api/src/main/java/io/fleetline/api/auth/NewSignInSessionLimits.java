package io.fleetline.api.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * New sign-in sessions one source address may begin ({@code
 * fleetline.console.new-sign-in-sessions.*}): every request to the sign-in form or the
 * authorization endpoint that arrives without a sign-in session may write one to the session table,
 * so they are counted per address, for all instances together, in a bucket that refills over {@code
 * window}.
 *
 * @param perAddress requests without a sign-in session allowed from one source address per window
 *     (IPv6 by /64)
 * @param window the time in which the bucket refills completely
 */
@ConfigurationProperties("fleetline.console.new-sign-in-sessions")
record NewSignInSessionLimits(
    @DefaultValue("100") int perAddress, @DefaultValue("10m") Duration window) {

  NewSignInSessionLimits {
    if (perAddress < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalStateException(
          "fleetline.console.new-sign-in-sessions: per-address must be 1 or more, the window"
              + " longer than zero");
    }
  }
}
