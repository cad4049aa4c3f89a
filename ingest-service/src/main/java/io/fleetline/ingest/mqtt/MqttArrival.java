package io.fleetline.ingest.mqtt;

import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * An MQTT message as it arrived: the device its topic names (null when the topic names none),
 * whether that is a gateway's topic, and the connection it came on, since its message id means
 * something on that connection alone.
 */
record MqttArrival(String identifier, MqttMessage message, long connection, boolean gateway) {

  /** A message on a device's own topic. */
  MqttArrival(String identifier, MqttMessage message, long connection) {
    this(identifier, message, connection, false);
  }
}
