package io.fleetline.ingest.osmand;

import io.fleetline.ingest.transport.BodyException;
import io.fleetline.ingest.transport.BoundedBody;
import io.fleetline.ingest.transport.Problems;
import io.fleetline.ingest.transport.TransportProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the two ports apart: the OsmAnd port serves only its {@code /} endpoint, and the main port
 * does not serve OsmAnd. On the OsmAnd port it also bounds what a request may carry before anyone
 * parses it: the query string's length, and the body, read here as its bytes arrive (gzip inflated)
 * up to the port's limit rather than allocated from its declared length.
 */
@Component
class OsmandPortFilter extends OncePerRequestFilter {

  /** Request attribute telling the OsmAnd controller the request came in on its port. */
  static final String ON_OSMAND_PORT = OsmandPortFilter.class.getName() + ".onOsmandPort";

  private final OsmandConnector connector;
  private final OsmandProperties properties;
  private final TransportProperties transport;

  OsmandPortFilter(
      OsmandConnector connector, OsmandProperties properties, TransportProperties transport) {
    this.connector = connector;
    this.properties = properties;
    this.transport = transport;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean osmandPort = request.getLocalPort() == connector.boundPort();
    boolean osmandPath = "/".equals(request.getRequestURI());
    if (osmandPort != osmandPath) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    HttpServletRequest bounded = request;
    if (osmandPort) {
      String query = request.getQueryString();
      long maxQueryBytes = properties.maxQuerySize().toBytes();
      if (query != null && query.length() > maxQueryBytes) {
        Problems.write(
            response,
            414,
            "uri-too-long",
            "Query too long",
            "The query string is longer than " + maxQueryBytes + " bytes.");
        return;
      }
      if (BoundedBody.present(request)) {
        try {
          bounded =
              OsmandBodyRequest.of(
                  request,
                  BoundedBody.read(
                      request,
                      (int) properties.maxBodySize().toBytes(),
                      transport.maxBodyReadTime()));
        } catch (BodyException e) {
          Problems.write(response, e);
          return;
        } catch (IllegalArgumentException e) {
          // Bad percent-encoding or an unknown charset in the form body.
          Problems.write(
              response,
              400,
              "malformed",
              "Malformed OsmAnd request",
              "The form body is not valid percent-encoding in its charset.");
          return;
        }
      }
    }
    bounded.setAttribute(ON_OSMAND_PORT, osmandPort);
    chain.doFilter(bounded, response);
  }
}
