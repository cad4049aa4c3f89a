package io.fleetline.simulator;

import java.util.List;

/** Sends a device's pings to ingest over one protocol; shared by all devices of that protocol. */
interface Uplink extends AutoCloseable {

  /** Most pings one upload can carry. */
  int maxBatch();

  /**
   * Sends one device's pings, oldest first, resending what is not acknowledged for as long as the
   * retry policy allows; returns what became of each, in order.
   */
  List<Outcome> send(Device device, List<Outgoing> items) throws InterruptedException;

  /** The reading as this protocol carries it, i.e. as ingest should store it. */
  Reading carried(Reading reading);

  /** Whether {@link #carried} keeps the accuracy (Teltonika's GPS element has none). */
  default boolean carriesAccuracy() {
    return true;
  }

  @Override
  default void close() {}
}
