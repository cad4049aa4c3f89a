package io.fleetline.ingest.coap;

import io.fleetline.ingest.IngestProperties;
import io.fleetline.ingest.gateway.GatewayRelay;
import io.fleetline.ingest.intake.PingIntake;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Outbox;
import org.eclipse.californium.core.network.stack.CoapStack;
import org.eclipse.californium.core.network.stack.CoapUdpStack;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The CoAP ports: plain UDP and, with a pre-shared key per device, DTLS, both serving {@link
 * PingsResource}. Californium deduplicates retransmitted requests by message id for the exchange
 * lifetime and assembles block-wise uploads up to the body limit.
 */
@Component
class CoapListener implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(CoapListener.class);

  /** The properties holding the ports actually bound, once listening. */
  static final String LOCAL_PORT_PROPERTY = "local.coap.port";

  static final String LOCAL_DTLS_PORT_PROPERTY = "local.coap.dtls-port";

  private final CoapProperties properties;
  private final IngestProperties ingest;
  private final DeviceRegistry registry;
  private final PingIntake intake;
  private final GatewayRelay relay;
  private final MeterRegistry meters;
  private final ConfigurableEnvironment environment;
  private CoapServer server;
  private RequestAdmission admission;
  private volatile boolean running;

  CoapListener(
      CoapProperties properties,
      IngestProperties ingest,
      DeviceRegistry registry,
      PingIntake intake,
      GatewayRelay relay,
      MeterRegistry meters,
      ConfigurableEnvironment environment) {
    this.properties = properties;
    this.ingest = ingest;
    this.registry = registry;
    this.intake = intake;
    this.relay = relay;
    this.meters = meters;
    this.environment = environment;
  }

  @Override
  public synchronized void start() {
    if (!properties.enabled() || running) {
      return;
    }
    Configuration config = configuration();
    DevicePskStore keys = new DevicePskStore(registry);
    SourceRate rate =
        new SourceRate(
            properties.maxRequestsPerSourcePerSecond(),
            properties.maxBurstPerSource(),
            properties.maxSources(),
            System::nanoTime);
    admission =
        new RequestAdmission(
            rate,
            properties.maxRequestsPerSecond(),
            properties.maxBurst(),
            System::nanoTime,
            meters);
    server = new CoapServer(config);
    server.add(new PingsResource(registry, keys, relay, intake, ingest, properties, meters));
    CoapEndpoint plain =
        new CoapEndpoint.Builder()
            .setConfiguration(config)
            .setCoapStackFactory(this::stack)
            .setInetSocketAddress(
                new InetSocketAddress(properties.bindAddress(), properties.port()))
            .build();
    plain.addInterceptor(admission);
    server.addEndpoint(plain);
    CoapEndpoint secure = null;
    if (properties.dtlsEnabled()) {
      DtlsConnectorConfig dtls =
          DtlsConnectorConfig.builder(config)
              .setAddress(new InetSocketAddress(properties.bindAddress(), properties.dtlsPort()))
              .setAdvancedPskStore(keys)
              .build();
      secure =
          new CoapEndpoint.Builder()
              .setConfiguration(config)
              .setCoapStackFactory(this::stack)
              .setConnector(new DTLSConnector(dtls))
              .build();
      secure.addInterceptor(admission);
      server.addEndpoint(secure);
    }
    server.start();
    running = true;
    Map<String, Object> ports = new HashMap<>();
    ports.put(LOCAL_PORT_PROPERTY, plain.getAddress().getPort());
    if (secure != null) {
      ports.put(LOCAL_DTLS_PORT_PROPERTY, secure.getAddress().getPort());
    }
    // Like local.server.port: where the ports really are when they were asked for as 0.
    environment.getPropertySources().addFirst(new MapPropertySource("coap-ports", ports));
    log.info("CoAP listener on {}", ports);
  }

  /**
   * Californium sizes its table of block-wise uploads by its number of active peers; the stack gets
   * a configuration of its own in which that number is the few uploads assembled at once.
   */
  private CoapStack stack(
      String protocol, String tag, Configuration config, Outbox outbox, Object argument) {
    Configuration blockwise = new Configuration(config);
    blockwise.set(CoapConfig.MAX_ACTIVE_PEERS, properties.maxBlockTransfers());
    return new CoapUdpStack(tag, blockwise, outbox);
  }

  private Configuration configuration() {
    Configuration config =
        new Configuration(
            SystemConfig.DEFINITIONS,
            CoapConfig.DEFINITIONS,
            UdpConfig.DEFINITIONS,
            DtlsConfig.DEFINITIONS);
    int maxBody = (int) properties.maxBodySize().toBytes();
    config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, maxBody);
    config.set(CoapConfig.MAX_ACTIVE_PEERS, properties.maxPeers());
    config.set(
        CoapConfig.EXCHANGE_LIFETIME,
        properties.exchangeLifetime().toMillis(),
        TimeUnit.MILLISECONDS);
    config.set(CoapConfig.DEDUPLICATOR, CoapConfig.DEDUPLICATOR_MARK_AND_SWEEP);
    config.set(
        CoapConfig.BLOCKWISE_STATUS_LIFETIME,
        properties.blockTransferLifetime().toMillis(),
        TimeUnit.MILLISECONDS);
    config.set(CoapConfig.BLOCKWISE_STATUS_INTERVAL, 1, TimeUnit.SECONDS);
    config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, properties.threads());
    config.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
    config.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
    config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
    // A cookie round trip before any handshake work, so a forged address gets one small answer.
    config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
    config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST_FOR_PSK, true);
    config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, properties.maxPeers());
    config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
    config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, properties.threads());
    return config;
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    server.destroy();
    log.info("CoAP listener stopped");
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
