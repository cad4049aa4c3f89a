package io.fleetline.api.geojson;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * GeoJSON by content negotiation: the {@code Accept} rule of {@link GeoJsonNegotiation}, and the
 * converter that writes a {@link JsonOrGeoJsonBody} in the chosen media type (placed before the
 * default converters, as every converter bean is).
 */
@Configuration(proxyBeanMethods = false)
class GeoJsonConfiguration implements WebMvcConfigurer {

  @Override
  public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
    configurer.strategies(List.of(new GeoJsonNegotiation()));
  }

  @Bean
  JsonOrGeoJsonConverter jsonOrGeoJsonConverter(JsonMapper mapper) {
    return new JsonOrGeoJsonConverter(mapper);
  }
}
