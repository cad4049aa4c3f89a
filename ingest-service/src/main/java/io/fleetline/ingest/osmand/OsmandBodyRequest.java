package io.fleetline.ingest.osmand;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OsmAnd request whose body the port filter has already read within its limits: the body is
 * served from memory, and a form body's fields are the request's parameters after the query
 * string's, as Tomcat would have ordered them.
 */
final class OsmandBodyRequest extends HttpServletRequestWrapper {

  private static final String FORM = "application/x-www-form-urlencoded";

  private final byte[] body;
  private final Map<String, String[]> parameters;

  private OsmandBodyRequest(
      HttpServletRequest request, byte[] body, Map<String, String[]> parameters) {
    super(request);
    this.body = body;
    this.parameters = Collections.unmodifiableMap(parameters);
  }

  /**
   * Wraps a request around its body.
   *
   * @throws IllegalArgumentException when a form field is not valid percent-encoding
   */
  static OsmandBodyRequest of(HttpServletRequest request, byte[] body) {
    // The body stream has been read, so Tomcat's own parameters are the query string's only.
    Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
    String type = request.getContentType();
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
      Charset charset = charsetOf(request);
      addFormFields(new String(body, charset), charset, parameters);
    }
    return new OsmandBodyRequest(request, body, parameters);
  }

  private static void addFormFields(String form, Charset charset, Map<String, String[]> into) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), charset);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), charset);
      fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    fields.forEach(
        (name, values) -> {
          String[] before = into.getOrDefault(name, new String[0]);
          String[] all = Arrays.copyOf(before, before.length + values.size());
          for (int i = 0; i < values.size(); i++) {
            all[before.length + i] = values.get(i);
          }
          into.put(name, all);
        });
  }

  @Override
  public ServletInputStream getInputStream() {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new IllegalStateException("The body has already been read");
      }
    };
  }

  @Override
  public BufferedReader getReader() {
    return new BufferedReader(
        new InputStreamReader(new ByteArrayInputStream(body), charsetOf(this)));
  }

  /** The request's declared charset, UTF-8 when it declares none. */
  private static Charset charsetOf(HttpServletRequest request) {
    return request.getCharacterEncoding() == null
        ? StandardCharsets.UTF_8
        : Charset.forName(request.getCharacterEncoding());
  }

  /**
   * The body the OsmAnd port's filter already read, whatever wraps this request; null when it read
   * none.
   */
  static byte[] bodyOf(ServletRequest request) {
    for (ServletRequest r = request; r != null; ) {
      if (r instanceof OsmandBodyRequest bodyRequest) {
        return bodyRequest.body;
      }
      r = r instanceof ServletRequestWrapper wrapper ? wrapper.getRequest() : null;
    }
    return null;
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public String getParameter(String name) {
    String[] values = parameters.get(name);
    return values == null || values.length == 0 ? null : values[0];
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return parameters;
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(parameters.keySet());
  }

  @Override
  public String[] getParameterValues(String name) {
    return parameters.get(name);
  }
}
