package io.fleetline.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * Creating or changing a webhook looks its host up before any database work: a fleet whose DNS
 * server is slow keeps no database connection waiting. The DNS here notes how many connections are
 * in use while it answers; webhook delivery is off, so nothing else of the service uses one.
 */
@TestPropertySource(
    properties = {
      "fleetline.webhooks.allow-private-networks=true",
      "fleetline.webhooks.enabled=false"
    })
@Import(WebhookUrlCheckTest.CountingDns.class)
class WebhookUrlCheckTest extends FleetApiTest {

  static final List<Integer> connectionsInUseDuringLookups = new CopyOnWriteArrayList<>();

  @TestConfiguration
  static class CountingDns {
    @Bean
    @Primary
    Destinations countingDestinations(WebhookProperties properties, DataSource dataSource) {
      return new Destinations(
          properties,
          host -> {
            if (host.equals("watched.test")) {
              connectionsInUseDuringLookups.add(
                  ((HikariDataSource) dataSource).getHikariPoolMXBean().getActiveConnections());
            }
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
          });
    }
  }

  @Test
  void creatingAndChangingAWebhookHoldNoDatabaseConnectionWhileItsHostIsLookedUp()
      throws Exception {
    ApiClient.Response created =
        api.post(
            "/api/v1/webhooks",
            fleetToken,
            "{\"url\":\"http://watched.test/in\",\"eventTypes\":[\"trip_started\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    ApiClient.Response changed =
        api.patch(
            "/api/v1/webhooks/" + created.json().get("id").stringValue(),
            fleetToken,
            "{\"url\":\"http://watched.test/elsewhere\"}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);

    assertThat(connectionsInUseDuringLookups).containsExactly(0, 0);
  }
}
