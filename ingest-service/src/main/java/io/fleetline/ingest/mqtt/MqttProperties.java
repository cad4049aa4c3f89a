package io.fleetline.ingest.mqtt;

import io.fleetline.common.DeviceTokens;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The MQTT subscription of ingest ({@code fleetline.ingest.mqtt.*}); off unless a broker URL is
 * set.
 *
 * @param url the broker, e.g. {@code tcp://127.0.0.1:1883} or {@code ssl://broker:8883}
 * @param username ingest's broker account, the only one allowed to subscribe
 * @param password that account's password
 * @param clientId this instance's client id; stable across restarts, so the broker keeps the
 *     session and redelivers what was not acknowledged. Default: {@code fleetline-ingest-<host>}
 * @param shareGroup the shared-subscription group that splits messages among ingest instances; with
 *     a password, ingest appends a digest of it ({@link #subscriptionGroup()})
 * @param topicFilter where devices publish; the {@code +} level is the device identifier
 * @param gatewayTopicFilter where gateways publish for the devices they relay; the {@code +} level
 *     is the gateway's identifier
 * @param maxInFlight messages being made durable at once; the broker waits beyond that
 * @param reconnectDelay pause before reconnecting after Kafka failed a message
 * @param maxPayloadSize largest message payload ingest reads; a larger one is rejected and
 *     acknowledged. Keep the broker's {@code message_size_limit} at or below it
 * @param passwordFile when set, ingest keeps this Mosquitto password file current from the device
 *     registry: its own account plus every enabled MQTT device with a token
 * @param passwordFileDebounce how long registry changes are gathered before the file is rewritten
 * @param brokerPidFile when set, the broker whose process id it holds is sent SIGHUP after each
 *     rewrite, which makes Mosquitto re-read its password and ACL files
 * @param unknownDeviceHold how long a message of a device unknown to ingest's registry is held,
 *     unacknowledged, for the registration to arrive before it is rejected as {@code
 *     unknown_device}: the broker may admit a new device a moment before the registry hears of it.
 *     Zero rejects such a message at once
 */
@ConfigurationProperties("fleetline.ingest.mqtt")
public record MqttProperties(
    String url,
    String username,
    String password,
    String clientId,
    @DefaultValue("fleetline-ingest") String shareGroup,
    @DefaultValue("fleetline/devices/+/pings") String topicFilter,
    @DefaultValue("fleetline/gateways/+/pings") String gatewayTopicFilter,
    @DefaultValue("256") int maxInFlight,
    @DefaultValue("5s") Duration reconnectDelay,
    @DefaultValue("256KB") DataSize maxPayloadSize,
    String passwordFile,
    @DefaultValue("500ms") Duration passwordFileDebounce,
    String brokerPidFile,
    @DefaultValue("10s") Duration unknownDeviceHold) {

  boolean enabled() {
    return url != null && !url.isBlank();
  }

  /**
   * The group ingest subscribes in. Mosquitto 2.0's ACL file does not check subscriptions, and a
   * client that joins ingest's group takes its turn of the messages even though the broker then
   * refuses to deliver them: a group name that only holders of ingest's password can derive keeps
   * devices out of it.
   */
  String subscriptionGroup() {
    if (password == null || password.isEmpty()) {
      return shareGroup;
    }
    return shareGroup
        + "-"
        + DeviceTokens.sha256Hex("fleetline mqtt share group:" + password).substring(0, 32);
  }

  boolean writesPasswordFile() {
    return enabled() && passwordFile != null && !passwordFile.isBlank();
  }
}
