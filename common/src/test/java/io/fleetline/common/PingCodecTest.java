package io.fleetline.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class PingCodecTest {

  private final Random random = new Random(7);

  @Test
  void writesTheSameBytesAsTheGenericMapperAndReadsThemBack() {
    PingCodec.Writer writer = new PingCodec.Writer();
    for (int i = 0; i < 5_000; i++) {
      VehiclePing ping = randomPing(i);

      byte[] fast = i % 2 == 0 ? PingCodec.write(ping) : writer.write(ping);

      assertThat(new String(fast, StandardCharsets.UTF_8))
          .isEqualTo(new String(FleetlineJson.write(ping), StandardCharsets.UTF_8));
      assertThat(PingCodec.read(fast)).isEqualTo(ping);
      assertThat(PingCodec.read(FleetlineJson.write(ping))).isEqualTo(ping);
    }
  }

  @Test
  void whatTheDirectWriterDoesNotCoverStillComesOutAsTheMapperWritesIt() {
    VehiclePing base = randomPing(1);
    List<VehiclePing> unusual =
        List.of(
            withProtocol(base, "osm\"and"),
            withProtocol(base, "télé\n"),
            withProtocol(base, null),
            withTimes(base, Instant.parse("2026-11-26T08:00:00.123456789Z")),
            withTimes(base, Instant.parse("+12026-11-26T08:00:00Z")),
            withSpeed(base, Double.NaN),
            withSpeed(base, Double.POSITIVE_INFINITY),
            withSpeed(base, -0.0),
            withSpeed(base, 1e-7),
            withSpeed(base, 1.0e21));
    PingCodec.Writer writer = new PingCodec.Writer();

    for (VehiclePing ping : unusual) {
      assertThat(new String(writer.write(ping), StandardCharsets.UTF_8))
          .isEqualTo(new String(FleetlineJson.write(ping), StandardCharsets.UTF_8));
    }
  }

  /** A ping exactly as version 1 of the topic carries it: flat measurement fields. */
  private static final String VERSION_1_PING =
      "{\"v\":1,\"vehicleId\":\"6f1c1a4e-0000-4000-8000-000000000001\","
          + "\"fleetId\":\"6f1c1a4e-0000-4000-8000-000000000002\","
          + "\"deviceId\":\"6f1c1a4e-0000-4000-8000-000000000003\",\"protocol\":\"teltonika\","
          + "\"recordedAt\":\"2026-11-26T08:00:00.123Z\",\"receivedAt\":\"2026-11-26T08:00:01.456Z\","
          + "\"latitude\":52.52,\"longitude\":13.405,\"speedKmh\":42.5,\"headingDeg\":90.0,"
          + "\"altitudeM\":34.0,\"accuracyM\":5.0,\"odometerKm\":1234.5,\"ignition\":true,"
          + "\"attributes\":{\"batt\":87}}";

  @Test
  void aVersion1PingDecodesIntoItsMeasurementsAndEncodesToTheSameBytes() {
    byte[] wire = VERSION_1_PING.getBytes(StandardCharsets.UTF_8);

    VehiclePing fromCodec = PingCodec.read(wire);
    VehiclePing fromMapper = FleetlineJson.read(wire, VehiclePing.class);

    assertThat(fromCodec.measurements())
        .isEqualTo(new Measurements(52.52, 13.405, 42.5, 90.0, 34.0, 5.0, 1234.5, true));
    assertThat(fromMapper).isEqualTo(fromCodec);
    assertThat(new String(PingCodec.write(fromCodec), StandardCharsets.UTF_8))
        .isEqualTo(VERSION_1_PING);
    assertThat(new String(FleetlineJson.write(fromCodec), StandardCharsets.UTF_8))
        .isEqualTo(VERSION_1_PING);
  }

  @Test
  void diagnosticsTravelAsOneObjectBetweenIgnitionAndAttributesWithAbsentValuesLeftOut() {
    VehiclePing plain = PingCodec.read(VERSION_1_PING.getBytes(StandardCharsets.UTF_8));
    Measurements m = plain.measurements();
    VehiclePing withDiagnostics =
        new VehiclePing(
            plain.v(),
            plain.vehicleId(),
            plain.fleetId(),
            plain.deviceId(),
            plain.protocol(),
            plain.recordedAt(),
            plain.receivedAt(),
            new Measurements(
                m.latitude(),
                m.longitude(),
                m.speedKmh(),
                m.headingDeg(),
                m.altitudeM(),
                m.accuracyM(),
                m.odometerKm(),
                m.ignition(),
                new Diagnostics(12.6, null, null, 80.0, true, null, 4, null, List.of("P0301"))),
            plain.attributes());

    String json = new String(PingCodec.write(withDiagnostics), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            VERSION_1_PING.replace(
                "\"ignition\":true,",
                "\"ignition\":true,\"diagnostics\":{\"externalVoltageV\":12.6,"
                    + "\"batteryLevelPct\":80.0,\"charging\":true,\"gsmSignal\":4,"
                    + "\"faultCodes\":[\"P0301\"]},"));
    assertThat(PingCodec.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(withDiagnostics);
    assertThat(FleetlineJson.read(json.getBytes(StandardCharsets.UTF_8), VehiclePing.class))
        .isEqualTo(withDiagnostics);
  }

  @Test
  void diagnosticsWithoutAnyValueAreLeftOutOfThePing() {
    Measurements m =
        new Measurements(
            1,
            2,
            null,
            null,
            null,
            null,
            null,
            null,
            new Diagnostics(null, null, null, null, null, null, null, null, null));

    assertThat(m.diagnostics()).isNull();
  }

  @Test
  void skipsUnknownFieldsOfNewerWritersAndTakesMissingOnesAsAbsent() {
    String json =
        "{\"v\":2,\"vehicleId\":\"6f1c1a4e-0000-4000-8000-000000000001\","
            + "\"future\":{\"nested\":[1,{\"a\":null}]},\"recordedAt\":\"2026-11-26T09:00:00+01:00\","
            + "\"latitude\":1.5,\"longitude\":2.5,\"speedKmh\":null}";

    VehiclePing ping = PingCodec.read(json.getBytes(StandardCharsets.UTF_8));

    assertThat(ping.v()).isEqualTo(2);
    assertThat(ping.recordedAt()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    assertThat(ping.measurements().latitude()).isEqualTo(1.5);
    assertThat(ping.measurements().speedKmh()).isNull();
    assertThat(ping.fleetId()).isNull();
    assertThat(ping.attributes()).isEmpty();
  }

  @Test
  void refusesPayloadsThatAreNotPings() {
    assertThatThrownBy(() -> PingCodec.read("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PingCodec.read("{\"v\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JacksonException.class);
    assertThatThrownBy(
            () -> PingCodec.read("{\"recordedAt\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(
            () -> PingCodec.read("{\"vehicleId\":\"42\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static VehiclePing withProtocol(VehiclePing p, String protocol) {
    return with(p, protocol, p.recordedAt(), p.measurements().speedKmh());
  }

  private static VehiclePing withTimes(VehiclePing p, Instant time) {
    return with(p, p.protocol(), time, p.measurements().speedKmh());
  }

  private static VehiclePing withSpeed(VehiclePing p, double speed) {
    return with(p, p.protocol(), p.recordedAt(), speed);
  }

  private static VehiclePing with(VehiclePing p, String protocol, Instant time, Double speed) {
    Measurements m = p.measurements();
    return new VehiclePing(
        p.v(),
        p.vehicleId(),
        p.fleetId(),
        p.deviceId(),
        protocol,
        time,
        time,
        new Measurements(
            m.latitude(),
            m.longitude(),
            speed,
            m.headingDeg(),
            m.altitudeM(),
            m.accuracyM(),
            m.odometerKm(),
            m.ignition()),
        p.attributes());
  }

  private VehiclePing randomPing(int i) {
    boolean sparse = i % 3 == 0;
    Map<String, Object> attributes = new LinkedHashMap<>();
    if (i % 2 == 0) {
      attributes.put("batt", random.nextInt(100));
      attributes.put("note", "é \"quoted\" \\ " + i);
      attributes.put("nested", Map.of("list", List.of(1, 2.5, true)));
      attributes.put("nothing", null);
    }
    long millis = random.nextLong(1_500_000_000_000L, 1_900_000_000_000L);
    return new VehiclePing(
        VehiclePing.CURRENT_VERSION,
        UUID.randomUUID(),
        UUID.randomUUID(),
        sparse ? null : UUID.randomUUID(),
        List.of("http", "osmand", "mqtt", "teltonika").get(i % 4),
        Instant.ofEpochMilli(millis),
        Instant.ofEpochMilli(millis + random.nextInt(100_000)),
        new Measurements(
            random.nextDouble(-90, 90),
            random.nextDouble(-180, 180),
            sparse ? null : random.nextDouble(0, 250),
            sparse ? null : (double) random.nextInt(360),
            sparse ? null : random.nextDouble(-400, 9000),
            sparse ? null : random.nextDouble(0, 100),
            sparse ? null : random.nextDouble(0, 1e6),
            sparse ? null : random.nextBoolean(),
            i % 5 == 1 ? randomDiagnostics() : null),
        attributes);
  }

  private Diagnostics randomDiagnostics() {
    return new Diagnostics(
        random.nextInt(30_000) / 1000.0,
        random.nextBoolean() ? random.nextInt(4_200) / 1000.0 : null,
        null,
        random.nextBoolean() ? (double) random.nextInt(101) : null,
        random.nextBoolean(),
        null,
        random.nextInt(6),
        random.nextDouble(0, 100),
        random.nextBoolean() ? List.of("P0301", "U0100") : null);
  }
}
