package io.fleetline.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulator's pings on the wire, valid and of every invalid kind, for tests that read them with
 * ingest's own decoders and validator (in ingest's packages, hence public).
 */
public final class WireSamples {

  /**
   * One ping as sent.
   *
   * @param expectedReason the reason ingest should reject it with, {@code null} for a valid one
   * @param text the JSON item or the OsmAnd query string (else null)
   * @param bytes the Teltonika AVL packet (else null)
   * @param carried what ingest should decode from a valid one (the ground truth values)
   */
  public record Sample(String expectedReason, String text, byte[] bytes, Expected carried) {}

  /** The values of a valid ping as the ground truth has them; null where not carried. */
  public record Expected(
      Instant recordedAt,
      double latitude,
      double longitude,
      double speedKmh,
      double headingDeg,
      double altitudeM,
      Double accuracyM,
      double odometerKm,
      boolean ignition) {}

  private WireSamples() {}

  /** Readings of a vehicle driving (and parking) for a while, as its tracker reports them. */
  static List<Reading> readings(int count) {
    RoadGrid grid = new RoadGrid(52.52, 13.405, 250, 3000);
    VehicleMotion motion =
        new VehicleMotion(grid, new SplittableRandom(4), Instant.now().minus(Duration.ofHours(3)));
    SplittableRandom gps = new SplittableRandom(5);
    List<Reading> readings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      motion.advance(Duration.ofSeconds(7));
      readings.add(motion.reading(gps, 4, 0.05));
    }
    return readings;
  }

  /** Valid readings and every invalid kind the protocol carries in its pings. */
  static List<Sample> samples(Protocol protocol, Uplink uplink, Encoder encoder) {
    List<Sample> samples = new ArrayList<>();
    Instant now = Instant.now();
    List<Reading> readings = readings(200);
    for (Reading r : readings) {
      Reading c = uplink.carried(r);
      samples.add(
          new Sample(
              null,
              encoder.text(r, null),
              encoder.bytes(r, null),
              new Expected(
                  c.recordedAt(),
                  c.latitude(),
                  c.longitude(),
                  c.speedKmh(),
                  c.headingDeg(),
                  c.altitudeM(),
                  uplink.carriesAccuracy() ? c.accuracyM() : null,
                  c.odometerKm(),
                  c.ignition())));
    }
    int i = 0;
    for (InvalidKind kind : InvalidKind.kindsFor(protocol)) {
      if (kind == InvalidKind.UNKNOWN_DEVICE) {
        continue; // not a property of the ping: tested with the uplinks
      }
      Reading broken = kind.breakReading(readings.get(i++ * 7), now);
      samples.add(
          new Sample(kind.reason(), encoder.text(broken, kind), encoder.bytes(broken, kind), null));
    }
    return samples;
  }

  interface Encoder {
    String text(Reading r, InvalidKind kind);

    byte[] bytes(Reading r, InvalidKind kind);
  }

  public static List<Sample> json() {
    return samples(
        Protocol.HTTP,
        new HttpUplink(null, "http://unused", null),
        new Encoder() {
          public String text(Reading r, InvalidKind kind) {
            return JsonPingFormat.item(r, kind);
          }

          public byte[] bytes(Reading r, InvalidKind kind) {
            return null;
          }
        });
  }

  public static List<Sample> osmand() {
    return samples(
        Protocol.OSMAND,
        new OsmandUplink(null, "http://unused", null),
        new Encoder() {
          public String text(Reading r, InvalidKind kind) {
            return OsmandUplink.query("sim-wire-1", r, kind);
          }

          public byte[] bytes(Reading r, InvalidKind kind) {
            return null;
          }
        });
  }

  public static List<Sample> teltonika() {
    return samples(
        Protocol.TELTONIKA,
        new TeltonikaUplink("unused:1", null),
        new Encoder() {
          public String text(Reading r, InvalidKind kind) {
            return null;
          }

          public byte[] bytes(Reading r, InvalidKind kind) {
            byte[] packet =
                Codec8e.packet(
                    List.of(Codec8e.record(r, kind == InvalidKind.ATTRIBUTES_TOO_LARGE)));
            return kind == InvalidKind.MALFORMED ? Codec8e.corrupted(packet) : packet;
          }
        });
  }
}
