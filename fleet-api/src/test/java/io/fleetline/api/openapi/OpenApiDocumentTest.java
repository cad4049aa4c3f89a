package io.fleetline.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code fleet-api/openapi.yaml} is what the running service serves, and it is a
 * valid OpenAPI 3.1 document. On drift, the served document is written to {@code
 * target/openapi.yaml}; copy it over the committed one (or run with {@code
 * -Dfleetline.openapi.update=true}) after reviewing the change.
 */
class OpenApiDocumentTest extends FleetApiTest {

  static final Path COMMITTED = Path.of("openapi.yaml");

  @Test
  void theCommittedDocumentMatchesTheRunningService() throws Exception {
    ApiClient.Response served = api.get("/v3/api-docs.yaml", null);
    assertThat(served.status()).isEqualTo(200);
    String document = served.body().replace("\r\n", "\n");
    if (!document.endsWith("\n")) {
      document += "\n";
    }
    String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8);
    if (!committed.equals(document)) {
      Files.writeString(Path.of("target", "openapi.yaml"), document, StandardCharsets.UTF_8);
      if (Boolean.getBoolean("fleetline.openapi.update")) {
        Files.writeString(COMMITTED, document, StandardCharsets.UTF_8);
      }
    }
    assertThat(committed)
        .as(
            "fleet-api/openapi.yaml drifted from the service; the served document is in"
                + " fleet-api/target/openapi.yaml")
        .isEqualTo(document);
  }

  @Test
  void theCommittedDocumentIsValidOpenApi31WithSecurityAndEveryContractPath() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    var result = new OpenAPIV3Parser().readLocation(COMMITTED.toString(), null, options);

    assertThat(result.getMessages()).isEmpty();
    var openApi = result.getOpenAPI();
    assertThat(openApi.getOpenapi()).startsWith("3.1");
    assertThat(openApi.getComponents().getSecuritySchemes()).containsKey("oauth2");
    assertThat(openApi.getPaths())
        .containsKeys(
            "/api/v1/admin/fleets",
            "/api/v1/admin/fleets/{fleetId}/clients",
            "/api/v1/vehicles",
            "/api/v1/vehicles/{vehicleId}",
            "/api/v1/vehicles/{vehicleId}/position",
            "/api/v1/vehicles/{vehicleId}/devices/{deviceId}/token",
            "/api/v1/positions",
            "/api/v1/vehicles/{vehicleId}/track",
            "/api/v1/vehicles/{vehicleId}/trips",
            "/api/v1/trips/{tripId}",
            "/api/v1/vehicles/{vehicleId}/stops",
            "/api/v1/vehicles/{vehicleId}/summaries",
            "/api/v1/vehicles/{vehicleId}/status",
            "/api/v1/reports/daily",
            "/api/v1/geofences",
            "/api/v1/geofences/{geofenceId}",
            "/api/v1/events",
            "/api/v1/live",
            "/api/v1/webhooks",
            "/api/v1/webhooks/{webhookId}",
            "/api/v1/webhooks/{webhookId}/rotate-secret",
            "/api/v1/webhooks/{webhookId}/deliveries",
            "/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/replay");
    openApi
        .getPaths()
        .forEach(
            (path, item) ->
                item.readOperations()
                    .forEach(
                        operation -> {
                          assertThat(operation.getSecurity()).as(path).isNotEmpty();
                          assertThat(operation.getSummary()).as(path).isNotBlank();
                        }));
  }
}
