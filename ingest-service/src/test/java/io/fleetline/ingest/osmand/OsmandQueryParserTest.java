package io.fleetline.ingest.osmand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetline.common.Diagnostics;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OsmandQueryParserTest {

  static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

  /** Splits a query string the way a servlet container would. */
  static Map<String, String> query(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      params.putIfAbsent(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  @Test
  void readsTheClassicTraccarClientRequestWithMillisecondTimestampAndSpeedInKnots() {
    OsmandPing ping =
        OsmandQueryParser.parse(
            query(
                "id=82879256&lat=-35.5555277&lon=145.5555733&timestamp=1693222306574"
                    + "&speed=10.0&bearing=26.21394&altitude=103.5&accuracy=22.975999&batt=87.0"
                    + "&charge=true"),
            NOW);

    assertThat(ping.deviceId()).isEqualTo("82879256");
    assertThat(ping.candidate().recordedAt()).isEqualTo(Instant.ofEpochMilli(1693222306574L));
    assertThat(ping.candidate().measurements().latitude()).isEqualTo(-35.5555277);
    assertThat(ping.candidate().measurements().longitude()).isEqualTo(145.5555733);
    assertThat(ping.candidate().measurements().speedKmh()).isCloseTo(18.52, within(1e-9));
    assertThat(ping.candidate().measurements().headingDeg()).isEqualTo(26.21394);
    assertThat(ping.candidate().measurements().altitudeM()).isEqualTo(103.5);
    assertThat(ping.candidate().measurements().accuracyM()).isEqualTo(22.975999);
    assertThat(ping.candidate().attributes())
        .containsEntry("batt", 87L)
        .containsEntry("charge", true);
  }

  @Test
  void acceptsEpochSecondsIsoTimesAndTheDeviceidAndLocationSpellings() {
    OsmandPing seconds =
        OsmandQueryParser.parse(query("deviceid=abc&location=52.5,13.4&timestamp=1764144000"), NOW);
    OsmandPing iso =
        OsmandQueryParser.parse(
            query("id=abc&lat=1&lon=2&timestamp=2026-11-26T09:00:00%2B01:00"), NOW);
    OsmandPing spaced =
        OsmandQueryParser.parse(query("id=abc&lat=1&lon=2&timestamp=2026-11-26+08:00:00"), NOW);

    assertThat(seconds.deviceId()).isEqualTo("abc");
    assertThat(seconds.candidate().measurements().latitude()).isEqualTo(52.5);
    assertThat(seconds.candidate().measurements().longitude()).isEqualTo(13.4);
    assertThat(seconds.candidate().recordedAt()).isEqualTo(Instant.ofEpochSecond(1764144000));
    assertThat(iso.candidate().recordedAt()).isEqualTo(NOW);
    assertThat(spaced.candidate().recordedAt()).isEqualTo(NOW);
  }

  @Test
  void withoutATimestampThePingIsTimedOnArrival() {
    OsmandPing ping = OsmandQueryParser.parse(query("id=abc&lat=1&lon=2&heading=45"), NOW);

    assertThat(ping.candidate().recordedAt()).isEqualTo(NOW);
    assertThat(ping.candidate().measurements().headingDeg()).isEqualTo(45);
    assertThat(ping.candidate().measurements().speedKmh()).isNull();
  }

  @Test
  void brokenRequestsNameTheParameter() {
    assertThatThrownBy(() -> OsmandQueryParser.parse(query("lat=1&lon=2"), NOW))
        .isInstanceOf(OsmandFormatException.class)
        .hasMessageContaining("id");
    assertThatThrownBy(() -> OsmandQueryParser.parse(query("id=a&lat=north&lon=2"), NOW))
        .hasMessageContaining("lat must be a number");
    assertThatThrownBy(() -> OsmandQueryParser.parse(query("id=a&lon=2"), NOW))
        .hasMessageContaining("lat is required");
    assertThatThrownBy(() -> OsmandQueryParser.parse(query("id=a&location=52.5"), NOW))
        .hasMessageContaining("location must be 'lat,lon'");
    assertThatThrownBy(
            () -> OsmandQueryParser.parse(query("id=a&lat=1&lon=2&timestamp=yesterday"), NOW))
        .hasMessageContaining("timestamp");
  }

  @Test
  void anEpochTimestampTooLongForALongIsMalformedNotAServerError() {
    assertThatThrownBy(
            () ->
                OsmandQueryParser.parse(
                    query("id=a&lat=1&lon=2&timestamp=99999999999999999999"), NOW))
        .isInstanceOfSatisfying(
            OsmandFormatException.class, e -> assertThat(e.field()).isEqualTo("timestamp"));
    assertThatThrownBy(
            () ->
                OsmandQueryParser.parse(
                    query("id=a&lat=1&lon=2&timestamp=" + "1".repeat(5000)), NOW))
        .isInstanceOf(OsmandFormatException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void numbersInJavaSyntaxButNotDecimalAreMalformed() {
    for (String lat :
        new String[] {"NaN", "Infinity", "-Infinity", "0x1p3", "1d", "52.5f", "1e400"}) {
      assertThatThrownBy(
              () -> OsmandQueryParser.parse(query("id=a&lat=" + lat + "&lon=2"), NOW), lat)
          .isInstanceOfSatisfying(
              OsmandFormatException.class, e -> assertThat(e.field()).isEqualTo("lat"));
    }
    assertThat(OsmandQueryParser.parse(query("id=a&lat=5.25e1&lon=-.5"), NOW).candidate())
        .satisfies(
            c -> {
              assertThat(c.measurements().latitude()).isEqualTo(52.5);
              assertThat(c.measurements().longitude()).isEqualTo(-0.5);
            });
  }

  @Test
  void extraKeysBecomeNumbersOnlyWhenDecimal() {
    OsmandPing ping =
        OsmandQueryParser.parse(query("id=a&lat=1&lon=2&batt=87&hex=0x10&nan=NaN&suffix=1d"), NOW);

    assertThat(ping.candidate().attributes())
        .containsEntry("batt", 87L)
        .containsEntry("hex", "0x10")
        .containsEntry("nan", "NaN")
        .containsEntry("suffix", "1d");
  }

  @Test
  void battAndChargeBecomeTheBatteryDiagnosticsAndStayAttributes() {
    OsmandPing ping = OsmandQueryParser.parse(query("id=a&lat=1&lon=2&batt=87.5&charge=true"), NOW);

    assertThat(ping.candidate().measurements().diagnostics())
        .isEqualTo(new Diagnostics(null, null, null, 87.5, true, null, null, null, null));
    assertThat(ping.candidate().attributes())
        .containsEntry("batt", 87.5)
        .containsEntry("charge", true);
  }

  @Test
  void aBattOutsideZeroToHundredOrNotANumberIsNoDiagnostic() {
    for (String batt : List.of("101", "-1", "full", "1e400")) {
      OsmandPing ping = OsmandQueryParser.parse(query("id=a&lat=1&lon=2&batt=" + batt), NOW);

      assertThat(ping.candidate().measurements().diagnostics()).as(batt).isNull();
    }
  }

  @Test
  void anUnreadableValueIsEchoedShortAndPrintable() {
    assertThatThrownBy(
            () ->
                OsmandQueryParser.parse(
                    query("id=a&lat=1%00" + "9".repeat(10_000) + "&lon=2"), NOW))
        .isInstanceOf(OsmandFormatException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .startsWith("lat must be a number, was '1?999")
                    .hasSizeLessThan(120));
  }
}
