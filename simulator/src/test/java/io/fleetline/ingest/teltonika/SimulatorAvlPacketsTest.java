package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.Rejection;
import io.fleetline.ingest.validation.ValidationProperties;
import io.fleetline.simulator.WireSamples;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The simulator's Codec 8E packets read by ingest's own decoder, mapper and validator: the CRC
 * checks out, valid records give the ground truth's values, invalid ones their expected reason, and
 * the malformed packet fails the CRC check (ingest then closes without acknowledging).
 */
class SimulatorAvlPacketsTest {

  private final PingValidator validator = new PingValidator(ValidationProperties.defaults());

  @Test
  void ingestDecodesWhatTheSimulatorSendsAndRejectsEachInvalidKindWithItsReason() throws Exception {
    int invalid = 0;
    for (WireSamples.Sample sample : WireSamples.teltonika()) {
      ByteBuf packet = Unpooled.wrappedBuffer(sample.bytes());
      assertThat(packet.getInt(0)).as("preamble").isZero();
      int dataLength = packet.getInt(4);
      boolean crcOk = packet.getInt(8 + dataLength) == Crc16Ibm.of(packet, 8, dataLength);
      if (Rejection.MALFORMED.equals(sample.expectedReason())) {
        assertThat(crcOk).isFalse();
        invalid++;
        continue;
      }
      assertThat(crcOk).isTrue();
      AvlPacket decoded = AvlRecordDecoder.decode(packet.slice(8, dataLength));
      assertThat(decoded.codecId()).isEqualTo(AvlRecordDecoder.CODEC_8_EXTENDED);
      assertThat(decoded.records()).hasSize(1);
      PingCandidate candidate = AvlPingMapper.toCandidate(decoded.records().get(0));
      Optional<Rejection> rejection = validator.validate(candidate);
      if (sample.expectedReason() == null) {
        assertThat(rejection).isEmpty();
        WireSamples.Expected e = sample.carried();
        assertThat(candidate.recordedAt()).isEqualTo(e.recordedAt());
        assertThat(candidate.measurements().latitude()).isEqualTo(e.latitude());
        assertThat(candidate.measurements().longitude()).isEqualTo(e.longitude());
        assertThat(candidate.measurements().speedKmh()).isEqualTo(e.speedKmh());
        assertThat(candidate.measurements().headingDeg()).isEqualTo(e.headingDeg());
        assertThat(candidate.measurements().altitudeM()).isEqualTo(e.altitudeM());
        assertThat(candidate.measurements().accuracyM()).isNull();
        assertThat(e.accuracyM()).isNull();
        assertThat(candidate.measurements().odometerKm()).isEqualTo(e.odometerKm());
        assertThat(candidate.measurements().ignition()).isEqualTo(e.ignition());
      } else {
        invalid++;
        assertThat(rejection)
            .get()
            .extracting(Rejection::reason)
            .isEqualTo(sample.expectedReason());
      }
    }
    // every kind but accuracy (the GPS element has none) and unknown_device (the handshake)
    assertThat(invalid).isEqualTo(11);
  }
}
