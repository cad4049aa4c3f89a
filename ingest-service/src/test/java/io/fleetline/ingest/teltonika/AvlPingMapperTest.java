package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.Diagnostics;
import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.ValidationProperties;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvlPingMapperTest {

  static final Instant T = Instant.parse("2026-11-26T08:00:00Z");

  static PingCandidate map(AvlFrames.Record record) throws Exception {
    byte[] packet = AvlFrames.codec8e(record);
    var data = Unpooled.wrappedBuffer(Arrays.copyOfRange(packet, 8, packet.length - 4));
    return AvlPingMapper.toCandidate(AvlRecordDecoder.decode(data).records().get(0));
  }

  @Test
  void gpsElementBecomesThePositionInDegreesMetresAndKmh() throws Exception {
    PingCandidate ping =
        map(AvlFrames.Record.at(T, -22.9068, -43.1729).gps(-12, 359, 7, 88).priority(2));

    assertThat(ping.recordedAt()).isEqualTo(T);
    assertThat(ping.measurements().latitude()).isEqualTo(-22.9068);
    assertThat(ping.measurements().longitude()).isEqualTo(-43.1729);
    assertThat(ping.measurements().altitudeM()).isEqualTo(-12.0);
    assertThat(ping.measurements().headingDeg()).isEqualTo(359.0);
    assertThat(ping.measurements().speedKmh()).isEqualTo(88.0);
    assertThat(ping.measurements().accuracyM()).isNull();
    assertThat(ping.attributes()).containsEntry("satellites", 7).containsEntry("priority", 2);
  }

  @Test
  void fleetRelevantIoElementsGetNamesAndUnits() throws Exception {
    PingCandidate ping =
        map(
            AvlFrames.Record.at(T, 52.52, 13.405)
                .gps(30, 90, 12, 50)
                .io(1, 239, 1) // ignition
                .io(1, 240, 0) // movement
                .io(1, 21, 4) // GSM signal
                .io(1, 69, 1) // GNSS status
                .io(2, 66, 12_850) // external voltage, mV
                .io(2, 67, 4_015) // battery voltage, mV
                .io(2, 24, 51) // GNSS speed, km/h
                .io(4, 16, 123_456_789) // total odometer, m
                .io(4, 199, 2_500) // trip odometer, m
                .io(2, 9, 333) // analog input 1: no name, kept as io9
                .ioBytes(385, new byte[] {0x0A, (byte) 0xFF}));

    assertThat(ping.measurements().ignition()).isTrue();
    assertThat(ping.measurements().odometerKm()).isEqualTo(123_456.789);
    assertThat(ping.measurements().speedKmh())
        .as("GPS element speed wins over IO 24")
        .isEqualTo(50.0);
    assertThat(ping.attributes())
        .containsEntry("movement", false)
        .containsEntry("gsmSignal", 4L)
        .containsEntry("gnssStatus", 1L)
        .containsEntry("externalVoltageV", 12.85)
        .containsEntry("batteryVoltageV", 4.015)
        .containsEntry("tripOdometerM", 2_500L)
        .containsEntry("io24", 51L)
        .containsEntry("io9", 333L)
        .containsEntry("io385", "0aff")
        .containsEntry("satellites", 12)
        .doesNotContainKeys("io239", "io240", "io16", "io66", "io67", "io21", "io69", "io199");
  }

  @Test
  void aRecordWithoutIgnitionOrOdometerLeavesThemUnknown() throws Exception {
    PingCandidate ping = map(AvlFrames.Record.at(T, 52.52, 13.405).event(0));

    assertThat(ping.measurements().ignition()).isNull();
    assertThat(ping.measurements().odometerKm()).isNull();
    assertThat(ping.attributes()).doesNotContainKey("eventIoId");
  }

  @Test
  void aRecordWithoutAFixIsLeftToTheSharedRulesWhichCallItNullIsland() throws Exception {
    PingCandidate ping = map(AvlFrames.Record.at(T, 0, 0).gps(0, 0, 0, 0));
    PingValidator validator =
        new PingValidator(ValidationProperties.defaults(), Clock.fixed(T, ZoneOffset.UTC));

    assertThat(validator.validate(ping))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("null_island"));
  }

  @Test
  void theFrameBuilderOfTheseTestsWritesTheWikisCodec8eExampleByteForByte() {
    byte[] built =
        AvlFrames.codec8e(
            AvlFrames.Record.at(Instant.ofEpochMilli(0x16B412CEE00L), 0, 0)
                .gps(0, 0, 0, 0)
                .priority(1)
                .event(1)
                .io(1, 0x01, 0x01)
                .io(2, 0x11, 0x1D)
                .io(4, 0x10, 0x015E2C88)
                .io(8, 0x0B, 0x3544C87AL)
                .io(8, 0x0E, 0x1DD7E06AL));

    assertThat(HexFormat.of().withUpperCase().formatHex(built))
        .isEqualTo(TeltonikaExamples.WIKI_CODEC_8E);
  }

  @Test
  void healthIoElementsBecomeTypedDiagnosticsInVoltsAmpsAndPercent() throws Exception {
    PingCandidate ping =
        map(
            AvlFrames.Record.at(T, 52.52, 13.405)
                .gps(30, 90, 12, 0)
                .io(1, 239, 0) // ignition off
                .io(1, 240, 1) // movement
                .io(1, 21, 4) // GSM signal 0..5
                .io(1, 113, 80) // battery level, %
                .io(1, 89, 55) // CAN fuel level, %
                .io(1, 48, 60) // OBD fuel level, %: CAN wins
                .io(2, 66, 12_600) // external voltage, mV
                .io(2, 67, 4_100) // battery voltage, mV
                .io(2, 68, 250) // battery current, mA
                .ioBytes(281, "P0301,U0100".getBytes(StandardCharsets.US_ASCII)));

    assertThat(ping.measurements().ignition()).isFalse();
    assertThat(ping.measurements().diagnostics())
        .isEqualTo(
            new Diagnostics(12.6, 4.1, 0.25, 80.0, null, true, 4, 55.0, List.of("P0301", "U0100")));
    assertThat(ping.attributes())
        .as("the former attribute names stay for clients that read them")
        .containsEntry("externalVoltageV", 12.6)
        .containsEntry("movement", true)
        .doesNotContainKeys("io281", "io68", "io113", "io89", "io48");
  }

  @Test
  void obdFuelLevelIsUsedWithoutCanAndOutOfRangeLevelsAreDropped() throws Exception {
    PingCandidate ping =
        map(
            AvlFrames.Record.at(T, 52.52, 13.405)
                .io(1, 48, 42)
                .io(1, 113, 250) // not a percentage
                .io(1, 21, 9)); // not a signal level

    Diagnostics diagnostics = ping.measurements().diagnostics();
    assertThat(diagnostics.fuelLevelPct()).isEqualTo(42.0);
    assertThat(diagnostics.batteryLevelPct()).isNull();
    assertThat(diagnostics.gsmSignal()).isNull();
  }

  @Test
  void faultCodeTextKeepsOnlyWellFormedCodesOnceEach() {
    assertThat(AvlPingMapper.faultCodes(ascii("No fault codes detected"))).isEmpty();
    assertThat(AvlPingMapper.faultCodes(ascii("p0301, X9999;P0301,C12AB,P03011\u0000")))
        .containsExactly("P0301", "C12AB");
    assertThat(AvlPingMapper.faultCodes(ascii("P0100,".repeat(1_000)))).containsExactly("P0100");
    assertThat(AvlPingMapper.faultCodes(ascii(codes(50)))).hasSize(AvlPingMapper.MAX_FAULT_CODES);
  }

  @Test
  void aRecordWithoutHealthElementsHasNoDiagnostics() throws Exception {
    PingCandidate ping = map(AvlFrames.Record.at(T, 52.52, 13.405).io(1, 239, 1));

    assertThat(ping.measurements().diagnostics()).isNull();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String codes(int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append(String.format("P%04X,", i));
    }
    return text.toString();
  }
}
