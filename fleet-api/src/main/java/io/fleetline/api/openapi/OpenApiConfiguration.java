package io.fleetline.api.openapi;

import io.fleetline.api.auth.Scopes;
import io.fleetline.api.paging.Paging;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI 3.1 document's frame: description, the OAuth2 security scheme, the scope each
 * operation needs (the same rules as the security filter chain) and the problem responses.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  static final String OAUTH2 = "oauth2";
  static final String PROBLEM = "Problem";

  static {
    // Free-form JSON (a geofence's area) is documented by its own @Schema, not as a Jackson class.
    SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    // Documented as its query parameters by PagingParameters.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Paging.class);
  }

  @Bean
  OpenAPI fleetlineOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Fleetline Fleet API")
                .version("v1")
                .license(new License().name("Apache-2.0").identifier("Apache-2.0"))
                .description(
                    """
                    The REST API of Fleetline for fleet managers and integrators: vehicles and
                    their devices, latest positions, tracks, trips, stops, geofences, the event
                    feed and the live stream.

                    Authenticate with the OAuth2 client-credentials grant at `/oauth2/token`
                    (HTTP Basic client authentication) and send the access token as
                    `Authorization: Bearer <token>`. Every request is scoped to the fleet of
                    the token's client: another fleet's object answers `404`.

                    Lists answer `{"items": [...], "nextCursor": "..." | null}`; pass
                    `nextCursor` back as `cursor` for the next page (`limit` 1..1000, default
                    100). Times are ISO-8601 UTC with milliseconds. Errors are RFC 9457
                    problem details (`application/problem+json`); validation errors name the
                    `field`. Positions, tracks and trips answer GeoJSON on
                    `Accept: application/geo+json`.
                    """))
        .addServersItem(new Server().url("http://127.0.0.1:8080").description("local stack"))
        .components(
            new Components()
                .addSecuritySchemes(
                    OAUTH2,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.OAUTH2)
                        .description("OAuth2 client credentials; tokens are JWTs with a fleet_id")
                        .flows(
                            new OAuthFlows()
                                .clientCredentials(
                                    new OAuthFlow()
                                        .tokenUrl("/oauth2/token")
                                        .scopes(
                                            new io.swagger.v3.oas.models.security.Scopes()
                                                .addString(
                                                    Scopes.FLEET_READ, "read the fleet's data")
                                                .addString(
                                                    Scopes.FLEET_WRITE, "change the fleet's data")
                                                .addString(
                                                    Scopes.FLEET_ADMIN,
                                                    "manage the fleet's API clients")
                                                .addString(
                                                    Scopes.PLATFORM_ADMIN,
                                                    "create fleets and their clients"))))));
  }

  @Bean
  PagingParameters pagingParameters() {
    return new PagingParameters();
  }

  @Bean
  JsonOrGeoJsonResponses jsonOrGeoJsonResponses() {
    return new JsonOrGeoJsonResponses();
  }

  /** Adds each operation's scope and its problem responses. */
  @Bean
  OpenApiCustomizer scopesAndProblems() {
    return openApi -> {
      openApi.getComponents().addSchemas(PROBLEM, problemSchema());
      openApi
          .getPaths()
          .forEach(
              (path, item) ->
                  item.readOperationsMap()
                      .forEach((method, operation) -> describe(path, method, operation)));
    };
  }

  private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
    if (!path.startsWith("/api/")) {
      return;
    }
    String scope;
    if (path.startsWith("/api/v1/admin/fleets/")) {
      // one fleet's administration (its settings, clients, users): its own admins or the platform's
      scope = Scopes.PLATFORM_ADMIN + " or " + Scopes.FLEET_ADMIN;
      operation.addSecurityItem(new SecurityRequirement().addList(OAUTH2, Scopes.PLATFORM_ADMIN));
      operation.addSecurityItem(new SecurityRequirement().addList(OAUTH2, Scopes.FLEET_ADMIN));
    } else {
      scope =
          path.startsWith("/api/v1/admin/")
              ? Scopes.PLATFORM_ADMIN
              : path.startsWith("/api/v1/webhooks")
                  ? Scopes.FLEET_ADMIN
                  : method == PathItem.HttpMethod.GET ? Scopes.FLEET_READ : Scopes.FLEET_WRITE;
      operation.addSecurityItem(new SecurityRequirement().addList(OAUTH2, scope));
    }
    String description = operation.getDescription() == null ? "" : operation.getDescription();
    operation.setDescription((description + "\n\nRequires scope `" + scope + "`.").strip());
    var responses = operation.getResponses();
    Map.of(
            "400", "Invalid request; `field` names the parameter or body field",
            "401", "No valid bearer token",
            "403", "The token lacks the scope",
            "429", "Too many requests from this client; retry after `Retry-After` seconds")
        .forEach((status, text) -> responses.putIfAbsent(status, problem(text)));
    if (path.contains("{")) {
      responses.putIfAbsent(
          "404", problem("Not found, or another fleet's (indistinguishable from missing)"));
    }
  }

  private static ApiResponse problem(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    "application/problem+json",
                    new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
  }

  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    return new Schema<>()
        .type("object")
        .description("RFC 9457 problem details")
        .addProperty("type", new Schema<>().type("string").format("uri"))
        .addProperty("title", new Schema<>().type("string"))
        .addProperty("status", new Schema<>().type("integer").format("int32"))
        .addProperty("detail", new Schema<>().type("string"))
        .addProperty("instance", new Schema<>().type("string").format("uri"))
        .addProperty(
            "field",
            new Schema<>().type("string").description("the invalid parameter or body field"));
  }
}
