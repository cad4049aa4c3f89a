package io.fleetline.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handshake that lets only the feed's consumer thread pause and resume pings. */
class PingDemandTest {

  final AtomicBoolean channels = new AtomicBoolean();
  final PingDemand demand = new PingDemand(channels::get);
  final AtomicInteger wakes = new AtomicInteger();

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aClientConnectingWhilePingsArePausedWakesTheFeedAndWaitsUntilItReadsThem() {
    assertThat(demand.wanted()).isFalse();
    demand.onDemand(
        () -> {
          wakes.incrementAndGet();
          Thread feed =
              new Thread(
                  () -> {
                    if (demand.wanted()) {
                      demand.reading();
                    }
                  });
          feed.start();
        });
    channels.set(true);

    demand.awaitReading(Duration.ofDays(1)); // returns only once the feed reads pings

    assertThat(wakes).hasValue(1);
  }

  @Test
  void aClientConnectingWhilePingsAreReadGoesOnWithoutWakingTheFeed() {
    demand.onDemand(wakes::incrementAndGet);
    channels.set(true);
    assertThat(demand.wanted()).isTrue();
    demand.reading();

    demand.awaitReading(Duration.ofDays(1));

    assertThat(wakes).hasValue(0);
  }

  @Test
  void onceNoFleetWantsPingsTheNextClientWaitsForTheFeedAgain() {
    demand.onDemand(
        () -> {
          wakes.incrementAndGet();
          if (demand.wanted()) {
            demand.reading();
          }
        });
    channels.set(true);
    demand.wanted();
    demand.reading();
    channels.set(false);
    assertThat(demand.wanted()).isFalse();
    channels.set(true);

    demand.awaitReading(Duration.ofDays(1));

    assertThat(wakes).hasValue(1);
  }
}
