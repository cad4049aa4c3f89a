package io.fleetline.ingest.osmand;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the two ports apart: the OsmAnd port serves only its {@code /} endpoint, and the main port
 * does not serve OsmAnd.
 */
@Component
class OsmandPortFilter extends OncePerRequestFilter {

  /** Request attribute telling the OsmAnd controller the request came in on its port. */
  static final String ON_OSMAND_PORT = OsmandPortFilter.class.getName() + ".onOsmandPort";

  private final OsmandConnector connector;

  OsmandPortFilter(OsmandConnector connector) {
    this.connector = connector;
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
    request.setAttribute(ON_OSMAND_PORT, osmandPort);
    chain.doFilter(request, response);
  }
}
