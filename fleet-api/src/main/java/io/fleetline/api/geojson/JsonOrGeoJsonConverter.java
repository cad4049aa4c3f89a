package io.fleetline.api.geojson;

import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.StreamUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link JsonOrGeoJsonBody} in the media type content negotiation chose: its GeoJSON for
 * {@code application/geo+json}, its JSON otherwise. A body made of bytes gets its length.
 */
final class JsonOrGeoJsonConverter extends AbstractHttpMessageConverter<JsonOrGeoJsonBody> {

  private final JsonMapper mapper;

  JsonOrGeoJsonConverter(JsonMapper mapper) {
    super(MediaType.APPLICATION_JSON, GeoJson.MEDIA_TYPE);
    this.mapper = mapper;
  }

  @Override
  protected boolean supports(Class<?> type) {
    return JsonOrGeoJsonBody.class.isAssignableFrom(type);
  }

  @Override
  public boolean canRead(Class<?> type, MediaType mediaType) {
    return false;
  }

  @Override
  protected JsonOrGeoJsonBody readInternal(
      Class<? extends JsonOrGeoJsonBody> type, HttpInputMessage input) {
    throw new HttpMessageNotReadableException("An answer is never read", input);
  }

  /** The chosen type without the parameters a client may have put on it (JSON is UTF-8). */
  @Override
  protected void addDefaultHeaders(HttpHeaders headers, JsonOrGeoJsonBody body, MediaType chosen)
      throws IOException {
    super.addDefaultHeaders(
        headers,
        body,
        chosen == null ? null : new MediaType(chosen.getType(), chosen.getSubtype()));
  }

  @Override
  protected void writeInternal(JsonOrGeoJsonBody body, HttpOutputMessage output)
      throws IOException {
    MediaType chosen = output.getHeaders().getContentType();
    boolean geoJson = chosen != null && chosen.equalsTypeAndSubtype(GeoJson.MEDIA_TYPE);
    // Made before the headers go out: a problem found on the way (no such vehicle) still gets
    // its own answer.
    Object answer = (geoJson ? body.geoJson() : body.json()).get();
    if (answer instanceof byte[] bytes) {
      output.getHeaders().setContentLength(bytes.length);
      output.getBody().write(bytes);
    } else {
      mapper.writeValue(StreamUtils.nonClosing(output.getBody()), answer);
    }
  }
}
