package io.fleetline.api.openapi;

import io.fleetline.api.geojson.GeoJson;
import io.fleetline.api.geojson.JsonOrGeoJson;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.web.method.HandlerMethod;

/**
 * The {@code 200} of every {@link JsonOrGeoJson} operation: the JSON type by reference, or a
 * GeoJSON object; the JSON types' schemas are added to the components.
 */
class JsonOrGeoJsonResponses implements OperationCustomizer, OpenApiCustomizer {

  private final Set<Class<?>> jsonTypes = ConcurrentHashMap.newKeySet();

  @Override
  public Operation customize(Operation operation, HandlerMethod handler) {
    JsonOrGeoJson answer = handler.getMethodAnnotation(JsonOrGeoJson.class);
    if (answer != null) {
      jsonTypes.add(answer.value());
      operation
          .getResponses()
          .addApiResponse(
              "200",
              new ApiResponse()
                  .description("JSON, or GeoJSON on Accept: application/geo+json")
                  .content(
                      new Content()
                          .addMediaType(
                              org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                              new MediaType()
                                  .schema(new Schema<>().$ref(answer.value().getSimpleName())))
                          .addMediaType(
                              GeoJson.MEDIA_TYPE_VALUE,
                              new MediaType()
                                  .schema(
                                      new Schema<>()
                                          .type("object")
                                          .types(Set.of("object"))
                                          .description(
                                              "a GeoJSON FeatureCollection or Feature")))));
    }
    return operation;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void customise(OpenAPI openApi) {
    for (Class<?> type : jsonTypes) {
      ModelConverters.getInstance(true)
          .readAll(new AnnotatedType(type))
          .forEach((name, schema) -> putIfAbsent(openApi, name, schema));
    }
  }

  @SuppressWarnings("rawtypes")
  private static void putIfAbsent(OpenAPI openApi, String name, Schema schema) {
    if (openApi.getComponents().getSchemas() == null
        || !openApi.getComponents().getSchemas().containsKey(name)) {
      openApi.getComponents().addSchemas(name, schema);
    }
  }
}
