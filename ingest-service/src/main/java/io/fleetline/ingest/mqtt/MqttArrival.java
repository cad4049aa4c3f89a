package io.fleetline.ingest.mqtt;

import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * An MQTT message as it arrived: the device its topic names (null when the topic names none), and
 * the connection it came on, since its message id means something on that connection alone.
 */
record MqttArrival(String identifier, MqttMessage message, long connection) {}
