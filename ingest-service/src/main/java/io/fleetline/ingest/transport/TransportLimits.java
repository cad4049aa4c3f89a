package io.fleetline.ingest.transport;

import io.fleetline.ingest.IngestProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Installs the per-address request limit on every Tomcat connector of the service. */
@Component
class TransportLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  private final TransportProperties transport;
  private final IngestProperties ingest;

  TransportLimits(TransportProperties transport, IngestProperties ingest) {
    this.transport = transport;
    this.ingest = ingest;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addEngineValves(
        new SourceLimitValve(
            transport.maxRequestsPerSource(),
            Math.max(1, ingest.retryAfter().toSeconds()),
            transport.maxDrainSize().toBytes(),
            transport.maxBodyReadTime()));
  }
}
