package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.ValidationProperties;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
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
}
