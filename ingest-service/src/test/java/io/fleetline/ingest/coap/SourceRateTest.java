package io.fleetline.ingest.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRateTest {

  final AtomicLong now = new AtomicLong();

  @Test
  void anAddressGetsItsBurstThenOnlyItsRate() throws Exception {
    SourceRate rate = new SourceRate(2, 3, 100, now::get);
    InetAddress flooder = InetAddress.getByName("192.0.2.1");

    assertThat(rate.tryAcquire(flooder)).isTrue();
    assertThat(rate.tryAcquire(flooder)).isTrue();
    assertThat(rate.tryAcquire(flooder)).isTrue();
    assertThat(rate.tryAcquire(flooder)).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(rate.tryAcquire(flooder)).isTrue();
    assertThat(rate.tryAcquire(flooder)).isFalse();
  }

  @Test
  void oneFloodingAddressDoesNotSpendAnotherAddressesBudget() throws Exception {
    SourceRate rate = new SourceRate(1, 1, 100, now::get);

    assertThat(rate.tryAcquire(InetAddress.getByName("192.0.2.1"))).isTrue();
    assertThat(rate.tryAcquire(InetAddress.getByName("192.0.2.1"))).isFalse();
    assertThat(rate.tryAcquire(InetAddress.getByName("192.0.2.2"))).isTrue();
  }

  @Test
  void forgedAddressesCannotGrowTheTableBeyondItsBoundButIdleOnesMakeRoom() throws Exception {
    SourceRate rate = new SourceRate(10, 1, 2, now::get);

    assertThat(rate.tryAcquire(InetAddress.getByName("192.0.2.1"))).isTrue();
    assertThat(rate.tryAcquire(InetAddress.getByName("192.0.2.2"))).isTrue();
    assertThat(rate.tryAcquire(InetAddress.getByName("192.0.2.3"))).isFalse();
    assertThat(rate.tracked()).isEqualTo(2);

    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    assertThat(rate.tryAcquire(InetAddress.getByName("192.0.2.3"))).isTrue();
    assertThat(rate.tracked()).isEqualTo(1);
  }
}
