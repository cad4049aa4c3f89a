package io.fleetline.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Host lookups are shared by every fleet: a fleet whose hosts resolve slowly (a DNS server that
 * never answers) holds only its share of them, and a lookup this instance had no room for is
 * "busy", not a failure of the endpoint. The DNS here answers {@code slow.*} hosts only when the
 * test lets it, and every other host at once.
 */
class DestinationsTest {

  final CountDownLatch answerSlowHosts = new CountDownLatch(1);
  final AtomicInteger slowLookupsUnderWay = new AtomicInteger();
  final ExecutorService callers = Executors.newCachedThreadPool();
  final Destinations destinations = new Destinations(AddressRulesTest.settings(true), this::lookUp);

  private InetAddress[] lookUp(String host) throws UnknownHostException {
    if (host.startsWith("slow.")) {
      slowLookupsUnderWay.incrementAndGet();
      try {
        answerSlowHosts.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
  }

  @AfterEach
  void answerAndStop() {
    answerSlowHosts.countDown();
    destinations.destroy();
    callers.shutdownNow();
  }

  @Test
  void aFleetWithSlowHostsHoldsAtMostItsShareOfLookupsAndOtherFleetsStillResolve()
      throws Exception {
    UUID slowFleet = UUID.randomUUID();
    List<CompletableFuture<Throwable>> slow = new ArrayList<>();
    for (int i = 0; i < Destinations.LOOKUPS_PER_FLEET; i++) {
      slow.add(failureOf("http://slow.example/" + i, slowFleet));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> slowLookupsUnderWay.get() == Destinations.LOOKUPS_PER_FLEET);

    assertThatThrownBy(() -> destinations.check("http://slow.example/more", slowFleet))
        .isInstanceOf(Destinations.Busy.class);
    assertThat(destinations.check("http://fast.example/", UUID.randomUUID()).addresses())
        .hasSize(1);
    for (CompletableFuture<Throwable> waiting : slow) {
      assertThat(waiting.get())
          .isInstanceOf(Destinations.Refused.class)
          .isNotInstanceOf(Destinations.Busy.class)
          .hasMessageContaining("took too long");
    }
    // Their callers gave up, but the lookups still hold their threads: still the fleet's share.
    assertThatThrownBy(() -> destinations.check("http://slow.example/again", slowFleet))
        .isInstanceOf(Destinations.Busy.class);
  }

  @Test
  void aLookupThatGotNoThreadInTimeIsBusyRatherThanAFailureOfTheEndpoint() throws Exception {
    int fleets = Destinations.LOOKUP_THREADS / Destinations.LOOKUPS_PER_FLEET;
    for (int f = 0; f < fleets; f++) {
      UUID fleet = UUID.randomUUID();
      for (int i = 0; i < Destinations.LOOKUPS_PER_FLEET; i++) {
        failureOf("http://slow.example/" + f + "/" + i, fleet);
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> slowLookupsUnderWay.get() == Destinations.LOOKUP_THREADS);

    assertThatThrownBy(() -> destinations.check("http://fast.example/", UUID.randomUUID()))
        .isInstanceOf(Destinations.Busy.class)
        .hasMessageContaining("waited too long");
  }

  @Test
  void aRefusedAddressIsNotToldToTheCaller() {
    Destinations strict = new Destinations(AddressRulesTest.settings(false), this::lookUp);
    try {
      assertThatThrownBy(() -> strict.check("http://internal.example/", UUID.randomUUID()))
          .isInstanceOf(Destinations.Refused.class)
          .hasMessageContaining("internal.example")
          .hasMessageNotContaining("127.0.0.1");
    } finally {
      strict.destroy();
    }
  }

  private CompletableFuture<Throwable> failureOf(String url, UUID fleet) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            destinations.check(url, fleet);
            return null;
          } catch (Destinations.Refused e) {
            return e;
          }
        },
        callers);
  }
}
