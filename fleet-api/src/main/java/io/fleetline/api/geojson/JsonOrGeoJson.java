package io.fleetline.api.geojson;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents an operation's {@code 200} as JSON of the given type, or GeoJSON on {@code Accept:
 * application/geo+json}; the OpenAPI configuration turns it into the response.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface JsonOrGeoJson {

  /** What the plain JSON answer is. */
  Class<?> value();
}
