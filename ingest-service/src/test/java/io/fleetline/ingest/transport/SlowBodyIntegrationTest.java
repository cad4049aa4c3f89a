package io.fleetline.ingest.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.common.DeviceTokens;
import io.fleetline.ingest.KafkaTopics;
import io.fleetline.ingest.registry.DeviceRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A body must arrive within its time in all, however slowly its bytes trickle in: here the time is
 * already spent when the first bytes arrive, while the connectors' read timeouts are long.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "fleetline.ingest.topics.ping-partitions=2",
      "fleetline.ingest.osmand.port=0",
      "server.tomcat.connection-timeout=120s",
      "fleetline.ingest.osmand.connection-timeout=120s",
      "fleetline.ingest.transport.max-body-read-time=0s"
    })
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowBodyIntegrationTest {

  static final String TOKEN = DeviceTokens.newToken();

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @LocalServerPort int pingPort;

  @Autowired ServletWebServerApplicationContext context;
  @Autowired DeviceRegistry registry;

  @BeforeAll
  void registerDevice() throws Exception {
    new KafkaTopics(brokers)
        .register(
            new DeviceRegistration(
                1,
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                DeviceProtocol.HTTP,
                "van-8",
                DeviceTokens.sha256Hex(TOKEN),
                true));
    await().atMost(Duration.ofSeconds(30)).until(() -> registry.findByToken(TOKEN).isPresent());
  }

  @Test
  void aPingBodyStillArrivingAfterItsTimeIsAnswered408() throws Exception {
    try (RawClient client = RawClient.connect("127.0.0.1", pingPort)) {
      client.send(
          "POST /api/v1/pings HTTP/1.1\r\nHost: ingest\r\nAuthorization: Bearer "
              + TOKEN
              + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"lat");

      assertThat(client.readUntil("too-slow"))
          .startsWith("HTTP/1.1 408")
          .contains("application/problem+json")
          .contains("too-slow");
    }
  }

  @Test
  void anOsmandBodyStillArrivingAfterItsTimeIsAnswered408() throws Exception {
    try (RawClient client = RawClient.connect("127.0.0.1", osmandPort())) {
      client.send(
          "POST / HTTP/1.1\r\nHost: osmand\r\n"
              + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nid=");

      assertThat(client.readUntil("too-slow"))
          .startsWith("HTTP/1.1 408")
          .contains("application/problem+json")
          .contains("too-slow");
    }
  }

  @Test
  void afterA408TheConnectionIsClosedWithoutWaitingForTheRestOfTheBody() throws Exception {
    try (RawClient client = RawClient.connect("127.0.0.2", pingPort)) {
      client.send(
          "POST /api/v1/pings HTTP/1.1\r\nHost: ingest\r\nAuthorization: Bearer "
              + TOKEN
              + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"lat");

      // The connector would wait 120 s for more bytes; the client gives up after 30 s.
      assertThat(client.readUntilClosed()).startsWith("HTTP/1.1 408").contains("too-slow");
    }
  }

  private int osmandPort() {
    return context.getEnvironment().getRequiredProperty("local.osmand.port", Integer.class);
  }
}
