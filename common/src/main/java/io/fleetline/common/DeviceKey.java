package io.fleetline.common;

/**
 * The identity of a device across protocols: an identifier is unique per protocol, so the pair is
 * the key of the compacted registry topic.
 */
public record DeviceKey(DeviceProtocol protocol, String identifier) {

  /** Parses the {@code protocol:identifier} form used as the Kafka record key. */
  public static DeviceKey parse(String key) {
    int colon = key.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("device key must be protocol:identifier, was " + key);
    }
    return new DeviceKey(
        DeviceProtocol.fromWire(key.substring(0, colon)), key.substring(colon + 1));
  }

  @Override
  public String toString() {
    return protocol.wireName() + ":" + identifier;
  }
}
