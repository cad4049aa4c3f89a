package io.fleetline.api.geojson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The media types a request accepts, from its {@code Accept} header, with one rule of the API for
 * the handlers that answer GeoJSON besides JSON: a client that names plain JSON gets plain JSON
 * even when it also names GeoJSON (generated clients send both), and a client that names GeoJSON
 * without plain JSON gets GeoJSON whatever else it accepts, and with whatever quality.
 */
final class GeoJsonNegotiation implements ContentNegotiationStrategy {

  private final HeaderContentNegotiationStrategy header = new HeaderContentNegotiationStrategy();

  @Override
  public List<MediaType> resolveMediaTypes(NativeWebRequest request)
      throws HttpMediaTypeNotAcceptableException {
    List<MediaType> accepted = header.resolveMediaTypes(request);
    if (!handlerAnswersGeoJson(request)
        || accepted.stream().noneMatch(t -> t.equalsTypeAndSubtype(GeoJson.MEDIA_TYPE))) {
      return accepted;
    }
    if (accepted.stream().anyMatch(t -> t.equalsTypeAndSubtype(MediaType.APPLICATION_JSON))) {
      return accepted.stream().filter(t -> !t.equalsTypeAndSubtype(GeoJson.MEDIA_TYPE)).toList();
    }
    List<MediaType> geoJsonFirst = new ArrayList<>();
    geoJsonFirst.add(GeoJson.MEDIA_TYPE);
    accepted.stream()
        .filter(t -> !t.equalsTypeAndSubtype(GeoJson.MEDIA_TYPE))
        .forEach(geoJsonFirst::add);
    return geoJsonFirst;
  }

  /**
   * Whether the request's handler, once chosen, produces GeoJSON for this request; handlers that do
   * not (and the choice of handler itself, which the order of types does not sway) see the header
   * as it is.
   */
  private static boolean handlerAnswersGeoJson(NativeWebRequest request) {
    return request.getAttribute(
                HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
            instanceof Collection<?> producible
        && producible.contains(GeoJson.MEDIA_TYPE);
  }
}
