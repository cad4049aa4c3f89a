package io.fleetline.ingest.mqtt;

import org.springframework.context.ApplicationContext;

/** For tests outside this package: whether ingest's MQTT subscriptions are confirmed. */
public final class IngestSubscription {

  private IngestSubscription() {}

  /** True once the broker confirmed the shared subscriptions of ingest's current connection. */
  public static boolean confirmed(ApplicationContext context) {
    return context.getBean(MqttSubscriber.class).isSubscribed();
  }
}
