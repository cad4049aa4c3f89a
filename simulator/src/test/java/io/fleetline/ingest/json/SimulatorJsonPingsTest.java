package io.fleetline.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.Rejection;
import io.fleetline.ingest.validation.ValidationProperties;
import io.fleetline.simulator.WireSamples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The simulator's HTTP/MQTT JSON pings read by ingest's own decoder and validator: valid ones pass
 * with exactly the ground truth's values, each invalid kind is rejected with its expected reason.
 */
class SimulatorJsonPingsTest {

  private final PingValidator validator = new PingValidator(ValidationProperties.defaults());

  @Test
  void ingestReadsWhatTheSimulatorSendsAndRejectsEachInvalidKindWithItsReason() {
    List<WireSamples.Sample> samples = WireSamples.json();
    assertThat(samples.stream().filter(s -> s.expectedReason() != null))
        .extracting(WireSamples.Sample::expectedReason)
        .contains(
            "latitude_out_of_range",
            "longitude_out_of_range",
            "null_island",
            "recorded_in_future",
            "recorded_too_old",
            "speed_out_of_range",
            "heading_out_of_range",
            "altitude_out_of_range",
            "accuracy_out_of_range",
            "odometer_out_of_range",
            "attributes_too_large",
            Rejection.MALFORMED);
    for (WireSamples.Sample sample : samples) {
      DecodedPing decoded =
          PingJson.decode(sample.text().getBytes(StandardCharsets.UTF_8), 1000).get(0);
      Optional<Rejection> rejection =
          decoded.malformed() != null
              ? Optional.of(decoded.malformed())
              : validator.validate(decoded.candidate());
      if (sample.expectedReason() == null) {
        assertThat(rejection).as(sample.text()).isEmpty();
        assertCarried(decoded.candidate(), sample.carried());
      } else {
        assertThat(rejection)
            .as(sample.text())
            .get()
            .extracting(Rejection::reason)
            .isEqualTo(sample.expectedReason());
      }
    }
  }

  static void assertCarried(PingCandidate c, WireSamples.Expected e) {
    assertThat(c.recordedAt()).isEqualTo(e.recordedAt());
    assertThat(c.measurements().latitude()).isEqualTo(e.latitude());
    assertThat(c.measurements().longitude()).isEqualTo(e.longitude());
    assertThat(c.measurements().speedKmh()).isEqualTo(e.speedKmh());
    assertThat(c.measurements().headingDeg()).isEqualTo(e.headingDeg());
    assertThat(c.measurements().altitudeM()).isEqualTo(e.altitudeM());
    assertThat(c.measurements().accuracyM()).isEqualTo(e.accuracyM());
    assertThat(c.measurements().odometerKm()).isEqualTo(e.odometerKm());
    assertThat(c.measurements().ignition()).isEqualTo(e.ignition());
  }
}
