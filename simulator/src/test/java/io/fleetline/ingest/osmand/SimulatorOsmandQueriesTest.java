package io.fleetline.ingest.osmand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.ingest.validation.PingCandidate;
import io.fleetline.ingest.validation.PingValidator;
import io.fleetline.ingest.validation.Rejection;
import io.fleetline.ingest.validation.ValidationProperties;
import io.fleetline.simulator.WireSamples;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The simulator's OsmAnd query strings read by ingest's own parser and validator: valid ones give
 * the ground truth's values (speed from knots), invalid ones their expected reason, and the
 * malformed one the 400 ingest answers for an unreadable request.
 */
class SimulatorOsmandQueriesTest {

  private final PingValidator validator = new PingValidator(ValidationProperties.defaults());

  @Test
  void ingestReadsWhatTheSimulatorSendsAndRejectsEachInvalidKindWithItsReason() {
    int invalid = 0;
    for (WireSamples.Sample sample : WireSamples.osmand()) {
      Map<String, String> params = params(sample.text());
      assertThat(params).containsEntry("id", "sim-wire-1");
      if (Rejection.MALFORMED.equals(sample.expectedReason())) {
        assertThatThrownBy(() -> OsmandQueryParser.parse(params, Instant.now()))
            .isInstanceOf(OsmandFormatException.class);
        invalid++;
        continue;
      }
      PingCandidate candidate = OsmandQueryParser.parse(params, Instant.now()).candidate();
      Optional<Rejection> rejection = validator.validate(candidate);
      if (sample.expectedReason() == null) {
        assertThat(rejection).as(sample.text()).isEmpty();
        WireSamples.Expected e = sample.carried();
        assertThat(candidate.recordedAt()).isEqualTo(e.recordedAt());
        assertThat(candidate.measurements().latitude()).isEqualTo(e.latitude());
        assertThat(candidate.measurements().longitude()).isEqualTo(e.longitude());
        assertThat(candidate.measurements().speedKmh()).isEqualTo(e.speedKmh());
        assertThat(candidate.measurements().headingDeg()).isEqualTo(e.headingDeg());
        assertThat(candidate.measurements().altitudeM()).isEqualTo(e.altitudeM());
        assertThat(candidate.measurements().accuracyM()).isEqualTo(e.accuracyM());
        assertThat(candidate.measurements().odometerKm()).isEqualTo(e.odometerKm());
        assertThat(candidate.measurements().ignition()).isEqualTo(e.ignition());
        assertThat(candidate.attributes()).containsKey("batt");
      } else {
        invalid++;
        assertThat(rejection)
            .as(sample.text())
            .get()
            .extracting(Rejection::reason)
            .isEqualTo(sample.expectedReason());
      }
    }
    assertThat(invalid).isEqualTo(12);
  }

  private static Map<String, String> params(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      params.putIfAbsent(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }
}
