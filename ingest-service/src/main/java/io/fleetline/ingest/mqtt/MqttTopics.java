package io.fleetline.ingest.mqtt;

/** Reads the device identifier out of a topic of the form {@code fleetline/devices/{id}/pings}. */
final class MqttTopics {

  private MqttTopics() {}

  /**
   * The identifier at the filter's single-level wildcard, or null when the topic does not match.
   */
  static String deviceIdentifier(String filter, String topic) {
    String[] filterLevels = filter.split("/", -1);
    String[] topicLevels = topic.split("/", -1);
    if (filterLevels.length != topicLevels.length) {
      return null;
    }
    String identifier = null;
    for (int i = 0; i < filterLevels.length; i++) {
      if (filterLevels[i].equals("+")) {
        identifier = topicLevels[i];
      } else if (!filterLevels[i].equals(topicLevels[i])) {
        return null;
      }
    }
    return identifier == null || identifier.isEmpty() ? null : identifier;
  }
}
