package io.fleetline.ingest.transport;

import io.fleetline.ingest.IngestProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Installs the per-address request limit on every Tomcat connector of the service. */
@Component
class TransportLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  private final TransportProperties transport;
  private final IngestProperties ingest;
  private final MeterRegistry meters;

  TransportLimits(TransportProperties transport, IngestProperties ingest, MeterRegistry meters) {
    this.transport = transport;
    this.ingest = ingest;
    this.meters = meters;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addEngineValves(
        new SourceLimitValve(
            transport.maxRequestsPerSource(),
            Math.max(1, ingest.retryAfter().toSeconds()),
            transport.maxDrainSize().toBytes(),
            transport.maxBodyReadTime(),
            Counter.builder("fleetline.ingest.http.refused")
                .description("HTTP requests refused at once (429) by a per-address limit")
                .tag("reason", "requests_per_source")
                .register(meters)));
  }
}
