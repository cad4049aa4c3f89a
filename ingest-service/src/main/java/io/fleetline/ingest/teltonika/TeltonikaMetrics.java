package io.fleetline.ingest.teltonika;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Teltonika listener's meters: open connections, frames by result, handshakes by result, and
 * packets left unacknowledged by reason.
 */
final class TeltonikaMetrics {

  static final String FRAME_OK = "ok";
  static final String FRAME_CRC_ERROR = "crc_error";
  static final String FRAME_MALFORMED = "malformed";
  static final String FRAME_OVERSIZE = "oversize";
  static final String FRAME_UNDECODABLE = "undecodable";

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter replaced;
  private final Counter idleClosed;
  private final Counter framesOk;
  private final Counter framesCrcError;
  private final Counter framesMalformed;
  private final Counter framesOversize;
  private final Counter framesUndecodable;
  private final Counter handshakeTimeouts;
  private final Counter recordsAcknowledged;

  TeltonikaMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("fleetline.ingest.teltonika.connections", connections, AtomicInteger::get)
        .description("Open Teltonika TCP connections")
        .register(registry);
    replaced = registry.counter("fleetline.ingest.teltonika.connections.replaced");
    idleClosed = registry.counter("fleetline.ingest.teltonika.connections.idle_closed");
    framesOk = frames(FRAME_OK);
    framesCrcError = frames(FRAME_CRC_ERROR);
    framesMalformed = frames(FRAME_MALFORMED);
    framesOversize = frames(FRAME_OVERSIZE);
    framesUndecodable = frames(FRAME_UNDECODABLE);
    handshakeTimeouts =
        registry.counter("fleetline.ingest.teltonika.handshakes", "result", "timeout");
    recordsAcknowledged = registry.counter("fleetline.ingest.teltonika.records.acknowledged");
  }

  private Counter frames(String result) {
    return registry.counter("fleetline.ingest.teltonika.frames", "result", result);
  }

  /** Counts a connection as open and returns how many are open now, this one included. */
  int connectionOpened() {
    return connections.incrementAndGet();
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }

  /** A connection closed as soon as it was accepted, because of the limit named by reason. */
  void connectionRefused(String reason) {
    registry
        .counter("fleetline.ingest.teltonika.connections.refused", "reason", reason)
        .increment();
  }

  /** An identified connection closed because a newer one of the same device replaced it. */
  void connectionReplaced() {
    replaced.increment();
  }

  void idleClosed() {
    idleClosed.increment();
  }

  void handshakeTimedOut() {
    handshakeTimeouts.increment();
  }

  void frame(String result) {
    switch (result) {
      case FRAME_OK -> framesOk.increment();
      case FRAME_CRC_ERROR -> framesCrcError.increment();
      case FRAME_OVERSIZE -> framesOversize.increment();
      case FRAME_UNDECODABLE -> framesUndecodable.increment();
      default -> framesMalformed.increment();
    }
  }

  void handshake(String result) {
    registry.counter("fleetline.ingest.teltonika.handshakes", "result", result).increment();
  }

  void acknowledged(int records) {
    recordsAcknowledged.increment(records);
  }

  void unacknowledged(String reason) {
    registry.counter("fleetline.ingest.teltonika.unacknowledged", "reason", reason).increment();
  }
}
