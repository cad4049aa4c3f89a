package io.fleetline.api.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * An operator who gives the management endpoints a port of their own keeps metrics and health off
 * the public port, and can switch the Swagger UI off while the OpenAPI document stays.
 */
@TestPropertySource(properties = {"management.server.port=0", "springdoc.swagger-ui.enabled=false"})
// Its own context (a management port): closed after the class rather than kept running.
@DirtiesContext
class ManagementPortTest extends FleetApiTest {

  @LocalManagementPort int managementPort;

  @Test
  void metricsAndHealthAreServedOnTheManagementPortOnly() throws Exception {
    assertThat(managementPort).isNotEqualTo(port);
    ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);

    ApiClient.Response metrics = management.get("/actuator/prometheus", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    assertThat(management.get("/actuator/health/readiness", null).status()).isEqualTo(200);

    ApiClient.Response publicMetrics = api.get("/actuator/prometheus", null);
    assertThat(publicMetrics.status()).isEqualTo(404);
    assertThat(publicMetrics.body()).doesNotContain("jvm_memory_used_bytes");
    assertThat(api.get("/actuator/health", null).status()).isEqualTo(404);
  }

  @Test
  void healthShowsNoDetailsToAnAnonymousCaller() throws Exception {
    ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);

    ApiClient.Response health = management.get("/actuator/health", null);

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().has("components")).isFalse();
    assertThat(health.json().has("details")).isFalse();
  }

  @Test
  void theSwaggerUiCanBeSwitchedOffWhileTheOpenApiDocumentStays() throws Exception {
    assertThat(api.get("/swagger-ui.html", null).status()).isEqualTo(404);
    assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(404);
    assertThat(api.get("/v3/api-docs", null).status()).isEqualTo(200);
  }
}
