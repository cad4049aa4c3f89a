package io.fleetline.ingest.osmand;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * A second Tomcat connector for the OsmAnd protocol, so phones reach {@code /} on their own port
 * while the JSON API keeps its own. Spring's {@code server.tomcat.*} settings reach only the main
 * connector, so this one carries its own timeouts and limits.
 */
@Component
class OsmandConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  private final OsmandProperties properties;
  private volatile Connector connector;

  OsmandConnector(OsmandProperties properties) {
    this.properties = properties;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    if (properties.enabled()) {
      Connector osmand = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
      osmand.setPort(properties.port());
      int maxBodyBytes = (int) properties.maxBodySize().toBytes();
      // Form bodies are read by the port filter; Tomcat's own parser never sees more than this.
      osmand.setMaxPostSize(maxBodyBytes);
      if (osmand.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
        http.setConnectionTimeout((int) properties.connectionTimeout().toMillis());
        http.setKeepAliveTimeout((int) properties.keepAliveTimeout().toMillis());
        http.setMaxConnections(properties.maxConnections());
        http.setAcceptCount(properties.acceptCount());
        http.setMaxThreads(properties.maxThreads());
        http.setMaxHttpRequestHeaderSize((int) properties.maxHeaderSize().toBytes());
        http.setMaxSwallowSize(maxBodyBytes);
      }
      factory.addAdditionalConnectors(osmand);
      connector = osmand;
    }
  }

  /** The port the OsmAnd connector really listens on (tests ask for 0), or -1 before start. */
  int boundPort() {
    Connector current = connector;
    return current == null ? -1 : current.getLocalPort();
  }
}
