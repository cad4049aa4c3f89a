package io.fleetline.simulator;

import io.fleetline.common.Measurements;
import io.fleetline.simulator.truth.TruthInvalidPing;
import io.fleetline.simulator.truth.TruthManoeuvre;
import io.fleetline.simulator.truth.TruthPing;
import io.fleetline.simulator.truth.TruthTrip;
import io.fleetline.simulator.truth.TruthVehicle;
import io.fleetline.simulator.truth.TruthWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the score of a run: what each upload's pings became, as counters for the summary and as
 * ground truth records; checks every invalid ping's answer against the one ingest should give.
 */
final class RunRecorder {

  private final TruthWriter truth;
  private final Map<Protocol, Uplink> uplinks;
  private final LongAdder sent = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder failedUploads = new LongAdder();
  private final LongAdder unexpectedRejections = new LongAdder();
  private final Map<String, LongAdder[]> invalid = new ConcurrentHashMap<>();
  private final Map<Protocol, LongAdder> acceptedByProtocol = new ConcurrentHashMap<>();
  private final LatencyLog latencies = new LatencyLog();
  private final AtomicLong warnings = new AtomicLong();

  RunRecorder(TruthWriter truth, Map<Protocol, Uplink> uplinks) {
    this.truth = truth;
    this.uplinks = uplinks;
  }

  void vehicle(SimVehicle v) {
    Device d = v.device();
    truth.vehicle(
        new TruthVehicle(
            d.vehicleId(), "Simulated " + d.identifier(), d.protocol().wireName(), d.identifier()));
  }

  /** Records one upload: its pings, what ingest answered for each, and how long it took. */
  void upload(SimVehicle v, List<Outgoing> items, List<Outcome> outcomes, long latencyMicros) {
    Device device = v.device();
    Uplink uplink = uplinks.get(device.protocol());
    boolean anyFailed = false;
    for (int i = 0; i < items.size(); i++) {
      Outgoing item = items.get(i);
      Outcome outcome = outcomes.get(i);
      sent.increment();
      if (!outcome.acknowledged()) {
        failed.increment();
        anyFailed = true;
      }
      if (item.isValid()) {
        valid(device, uplink, item.reading(), outcome);
      } else {
        invalid(device, item, outcome);
      }
    }
    if (anyFailed) {
      failedUploads.increment();
    }
    latencies.add(latencyMicros);
  }

  private void valid(Device device, Uplink uplink, Reading sentReading, Outcome outcome) {
    boolean stored = outcome.acknowledged() && outcome.observedReason() == null;
    if (stored) {
      accepted.increment();
      acceptedByProtocol.computeIfAbsent(device.protocol(), p -> new LongAdder()).increment();
    } else if (outcome.observedReason() != null) {
      rejected.increment();
      unexpectedRejections.increment();
      warn(
          "ingest rejected a valid "
              + device.protocol().wireName()
              + " ping of "
              + device.identifier()
              + ": "
              + outcome.observedReason());
    }
    Reading r = uplink.carried(sentReading);
    truth.ping(
        new TruthPing(
            device.vehicleId(),
            device.identifier(),
            device.protocol().wireName(),
            r.recordedAt(),
            new Measurements(
                r.latitude(),
                r.longitude(),
                r.speedKmh(),
                r.headingDeg(),
                r.altitudeM(),
                uplink.carriesAccuracy() ? r.accuracyM() : null,
                r.odometerKm(),
                r.ignition()),
            r.gpsJump(),
            stored));
  }

  private void invalid(Device device, Outgoing item, Outcome outcome) {
    InvalidKind kind = item.invalid();
    Protocol protocol = device.protocol();
    String expectedAnswer = kind.expectedAnswer(protocol);
    // sent, answered as expected, reason confirmed by the device's answer, reason contradicted
    LongAdder[] counts =
        invalid.computeIfAbsent(
            protocol.wireName() + ":" + kind.reason(),
            k ->
                new LongAdder[] {
                  new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()
                });
    counts[0].increment();
    if (outcome.acknowledged()) {
      rejected.increment();
    }
    if (outcome.acknowledged() && outcome.answer().equals(expectedAnswer)) {
      counts[1].increment();
    } else if (outcome.acknowledged()) {
      warn(
          protocol.wireName()
              + " "
              + kind.reason()
              + ": expected answer "
              + expectedAnswer
              + ", got "
              + outcome.answer());
    }
    if (outcome.observedReason() != null) {
      if (outcome.observedReason().equals(kind.reason())) {
        counts[2].increment();
      } else {
        counts[3].increment();
        warn(
            protocol.wireName()
                + " ping sent as "
                + kind.reason()
                + " was rejected as "
                + outcome.observedReason());
      }
    }
    boolean unknown = kind == InvalidKind.UNKNOWN_DEVICE;
    truth.invalid(
        new TruthInvalidPing(
            unknown ? null : device.vehicleId(),
            unknown
                ? InvalidKind.unknownIdentifier(protocol, device.identifier())
                : device.identifier(),
            protocol.wireName(),
            item.reading().recordedAt(),
            kind.reason(),
            kind.detail(),
            expectedAnswer,
            kind.inRejectedTopic(protocol),
            outcome.observedReason()));
  }

  /**
   * Writes the trips each vehicle really drove and the manoeuvres it made on purpose, once the run
   * is over.
   */
  void trips(SimVehicle v) {
    for (DrivenTrip t : v.motion().trips()) {
      truth.trip(
          new TruthTrip(
              v.device().vehicleId(),
              v.device().identifier(),
              t.startedAt(),
              t.endedAt(),
              new TruthTrip.Point(t.startLat(), t.startLon()),
              new TruthTrip.Point(t.endLat(), t.endLon()),
              Math.round(t.distanceM() * 10) / 10.0,
              Math.round(t.maxSpeedKmh() * 10) / 10.0,
              t.parkedForS(),
              t.startedInRun(),
              t.open()));
    }
    for (VehicleMotion.Manoeuvre m : v.motion().manoeuvres()) {
      truth.manoeuvre(
          new TruthManoeuvre(
              v.device().vehicleId(),
              v.device().identifier(),
              m.kind(),
              m.startedAt(),
              m.endedAt(),
              m.open(),
              m.direction()));
    }
  }

  private void warn(String message) {
    // Only the first few: a systematic mismatch would otherwise flood the log.
    if (warnings.incrementAndGet() <= 20) {
      System.err.println("warning: " + message);
    }
  }

  void flushTruth() {
    truth.flush();
  }

  long accepted() {
    return accepted.sum();
  }

  long failedUploads() {
    return failedUploads.sum();
  }

  /** The counters every mode's summary carries. */
  void addTo(Map<String, Object> summary) {
    summary.put("sent", sent.sum());
    summary.put("accepted", accepted.sum());
    summary.put("rejected", rejected.sum());
    summary.put("failed", failed.sum());
    summary.put("failedRequests", failedUploads.sum());
    summary.put("unexpectedRejections", unexpectedRejections.sum());
    Map<String, Long> byProtocol = new TreeMap<>();
    acceptedByProtocol.forEach((p, n) -> byProtocol.put(p.wireName(), n.sum()));
    summary.put("acceptedByProtocol", byProtocol);
    Map<String, Object> invalidSummary = new TreeMap<>();
    invalid.forEach(
        (key, counts) -> {
          Map<String, Long> c = new LinkedHashMap<>();
          c.put("sent", counts[0].sum());
          c.put("answeredAsExpected", counts[1].sum());
          c.put("reasonConfirmed", counts[2].sum());
          c.put("reasonContradicted", counts[3].sum());
          invalidSummary.put(key, c);
        });
    summary.put("invalid", invalidSummary);
    summary.put("uploadLatencyP50Ms", latencies.percentileMs(0.50));
    summary.put("uploadLatencyP99Ms", latencies.percentileMs(0.99));
  }

  /** Upload latencies, kept for percentiles. */
  private static final class LatencyLog {
    private long[] micros = new long[1024];
    private int size;

    synchronized void add(long value) {
      if (size == micros.length) {
        micros = Arrays.copyOf(micros, size * 2);
      }
      micros[size++] = value;
    }

    synchronized double percentileMs(double p) {
      if (size == 0) {
        return 0;
      }
      long[] sorted = Arrays.copyOf(micros, size);
      Arrays.sort(sorted);
      long value = sorted[(int) Math.min(size - 1, Math.floor(p * size))];
      return Math.round(value / 100.0) / 10.0;
    }
  }
}
