package io.fleetline.ingest.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.junit.jupiter.api.Test;

class RequestAdmissionTest {

  final AtomicLong now = new AtomicLong();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  static Request from(String address, int port) {
    Request request = Request.newPost();
    request.setSourceContext(new AddressEndpointContext(new InetSocketAddress(address, port)));
    return request;
  }

  double refused(String reason) {
    return meters.counter("fleetline.ingest.coap.refused", "reason", reason).count();
  }

  @Test
  void aFloodFromManyForgedSourcesIsDroppedBeforeTheStackOnceThePortsBurstIsSpent() {
    SourceRate perSource = new SourceRate(20, 100, 50, now::get);
    RequestAdmission admission = new RequestAdmission(perSource, 10, 30, now::get, meters);

    int admitted = 0;
    for (int i = 0; i < 5000; i++) {
      Request request = from("10.0." + (i / 250) + "." + (i % 250 + 1), 1024 + i);
      admission.receiveRequest(request);
      admitted += request.isCanceled() ? 0 : 1;
    }

    assertThat(admitted).as("the port's burst, whatever the number of sources").isEqualTo(30);
    assertThat(perSource.tracked())
        .as("the table of sources stays bounded")
        .isLessThanOrEqualTo(50);
    assertThat(refused("requests") + refused("requests_per_source")).isEqualTo(5000 - 30);

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    Request later = from("10.0.0.1", 1024);
    admission.receiveRequest(later);
    assertThat(later.isCanceled()).as("the port's rate refills").isFalse();
  }

  @Test
  void oneSourceSendingFromManyPortsSpendsOneBudget() {
    RequestAdmission admission =
        new RequestAdmission(new SourceRate(1, 5, 100, now::get), 1000, 1000, now::get, meters);

    int admitted = 0;
    for (int port = 1024; port < 2024; port++) {
      Request request = from("192.0.2.7", port);
      admission.receiveRequest(request);
      admitted += request.isCanceled() ? 0 : 1;
    }

    assertThat(admitted).isEqualTo(5);
    assertThat(refused("requests_per_source")).isEqualTo(995);
  }
}
