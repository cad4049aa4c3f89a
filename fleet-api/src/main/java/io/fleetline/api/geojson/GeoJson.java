package io.fleetline.api.geojson;

import io.fleetline.common.FleetlineJson;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import tools.jackson.core.type.TypeReference;

/** GeoJSON (RFC 7946) shapes, answered instead of plain JSON on {@code application/geo+json}. */
public final class GeoJson {

  public static final String MEDIA_TYPE_VALUE = "application/geo+json";
  public static final MediaType MEDIA_TYPE = MediaType.parseMediaType(MEDIA_TYPE_VALUE);

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private GeoJson() {}

  public static Map<String, Object> feature(
      Object id, Map<String, Object> geometry, Map<String, Object> properties) {
    Map<String, Object> feature = new LinkedHashMap<>();
    feature.put("type", "Feature");
    feature.put("id", id);
    feature.put("geometry", geometry);
    feature.put("properties", properties);
    return feature;
  }

  /** A FeatureCollection; {@code nextCursor} travels as a foreign member, as RFC 7946 allows. */
  public static Map<String, Object> featureCollection(
      List<Map<String, Object>> features, String nextCursor) {
    Map<String, Object> collection = new LinkedHashMap<>();
    collection.put("type", "FeatureCollection");
    collection.put("features", features);
    collection.put("nextCursor", nextCursor);
    return collection;
  }

  /**
   * A record's components as Feature properties, leaving out the named ones (those that became the
   * geometry); values keep their types so that the API's JSON conventions apply to them.
   */
  public static Map<String, Object> propertiesOf(Record record, String... without) {
    Set<String> skip = Set.of(without);
    Map<String, Object> properties = new LinkedHashMap<>();
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      if (!skip.contains(component.getName())) {
        try {
          Method accessor = component.getAccessor();
          accessor.setAccessible(true);
          properties.put(component.getName(), accessor.invoke(record));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return properties;
  }

  /** Parses GeoJSON text that PostGIS produced ({@code ST_AsGeoJSON}). */
  public static Map<String, Object> parse(String json) {
    return json == null
        ? null
        : FleetlineJson.mapper().readValue(json.getBytes(StandardCharsets.UTF_8), OBJECT);
  }
}
