package io.fleetline.ingest.mqtt;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The MQTT subscription of ingest ({@code fleetline.ingest.mqtt.*}); off unless a broker URL is
 * set.
 *
 * @param url the broker, e.g. {@code tcp://127.0.0.1:1883} or {@code ssl://broker:8883}
 * @param clientId this instance's client id; stable across restarts, so the broker keeps the
 *     session and redelivers what was not acknowledged. Default: {@code fleetline-ingest-<host>}
 * @param shareGroup the shared-subscription group that splits messages among ingest instances
 * @param topicFilter where devices publish; the {@code +} level is the device identifier
 * @param maxInFlight messages being made durable at once; the broker waits beyond that
 * @param reconnectDelay pause before reconnecting after Kafka failed a message
 */
@ConfigurationProperties("fleetline.ingest.mqtt")
public record MqttProperties(
    String url,
    String username,
    String password,
    String clientId,
    @DefaultValue("fleetline-ingest") String shareGroup,
    @DefaultValue("fleetline/devices/+/pings") String topicFilter,
    @DefaultValue("256") int maxInFlight,
    @DefaultValue("5s") Duration reconnectDelay) {

  boolean enabled() {
    return url != null && !url.isBlank();
  }
}
