package io.fleetline.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetline.ingest.intake.DecodedPing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PingJsonTest {

  static final String GOOD =
      "{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":52.5,\"longitude\":13.4}";

  static List<DecodedPing> decode(String body, int max) {
    return PingJson.decode(body.getBytes(StandardCharsets.UTF_8), max);
  }

  static String original(DecodedPing item) {
    return new String(item.original().get(), StandardCharsets.UTF_8);
  }

  @Test
  void aBrokenItemIsReportedWithItsExactBytesAndItsNeighboursStillDecode() {
    String bad =
        "{\"latitude\":\"52\", \"extra\":{\"deep\":[1,{\"x\":null}]},"
            + " \"recordedAt\":\"2026-11-26T08:00:01Z\",\"longitude\":2}";
    List<DecodedPing> items = decode("[ " + GOOD + " ,\n" + bad + ",  " + GOOD + " ]", 10);

    assertThat(items).extracting(DecodedPing::index).containsExactly(0, 1, 2);
    assertThat(items.get(0).candidate().measurements().latitude()).isEqualTo(52.5);
    assertThat(items.get(1).candidate()).isNull();
    assertThat(items.get(1).malformed().detail()).isEqualTo("latitude must be a number");
    assertThat(original(items.get(1))).isEqualTo(bad);
    assertThat(original(items.get(2))).isEqualTo(GOOD);
    assertThat(items.get(2).candidate().recordedAt())
        .isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
  }

  @Test
  void errorsAreReportedInFieldOrderWhateverTheOrderOfTheKeys() {
    List<DecodedPing> items = decode("[{\"latitude\":true,\"longitude\":2}]", 10);

    assertThat(items.get(0).malformed().detail()).isEqualTo("recordedAt is required");
  }

  @Test
  void anItemThatIsNotAnObjectIsMalformedWithItsOwnText() {
    List<DecodedPing> items = decode("[" + GOOD + ",[1,2],\"x\",7]", 10);

    assertThat(items).hasSize(4);
    assertThat(items.subList(1, 4))
        .allSatisfy(
            i -> assertThat(i.malformed().detail()).isEqualTo("a ping must be a JSON object"));
    assertThat(original(items.get(1))).isEqualTo("[1,2]");
    assertThat(original(items.get(3))).isEqualTo("7");
  }

  @Test
  void anItemThatIsNotAnObjectKeepsItsExactBytesEvenWhenTheyCannotBeStored() {
    List<DecodedPing> items =
        decode("[" + GOOD + ",\"\\ud800\" , \"a\\u0000b\",1e400,[[\"\\udc00\"]]," + GOOD + "]", 10);

    assertThat(items).hasSize(6);
    assertThat(items.subList(1, 5))
        .extracting(PingJsonTest::original)
        .containsExactly("\"\\ud800\"", "\"a\\u0000b\"", "1e400", "[[\"\\udc00\"]]");
    assertThat(items.get(5).candidate()).isNotNull();
  }

  @Test
  void aRepeatedKeyCountsOnceWithItsLastValueAndUnknownKeysAreIgnored() {
    DecodedPing item =
        decode(
                "{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":1,\"latitude\":3,"
                    + "\"longitude\":2,\"future\":{\"a\":[{}]},\"attributes\":{\"batt\":87,"
                    + "\"tags\":[\"a\"]},\"ignition\":false}",
                10)
            .get(0);

    assertThat(item.candidate().measurements().latitude()).isEqualTo(3);
    assertThat(item.candidate().measurements().ignition()).isFalse();
    assertThat(item.candidate().attributes()).isEqualTo(Map.of("batt", 87, "tags", List.of("a")));
  }

  @Test
  void nullsAreAbsentValues() {
    DecodedPing item =
        decode(
                "{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":1,\"longitude\":2,"
                    + "\"speedKmh\":null,\"attributes\":null}",
                10)
            .get(0);

    assertThat(item.candidate().measurements().speedKmh()).isNull();
    assertThat(item.candidate().attributes()).isEmpty();
  }

  @Test
  void bodiesThatAreNotPingsAreRefusedAsAWhole() {
    assertThatThrownBy(() -> decode("", 10)).hasMessageContaining("ping object or an array");
    assertThatThrownBy(() -> decode("42", 10)).hasMessageContaining("ping object or an array");
    assertThatThrownBy(() -> decode("[]", 10)).hasMessageContaining("empty");
    assertThatThrownBy(() -> decode("[" + GOOD + ",", 10)).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> decode(GOOD + " {}", 10))
        .hasMessageContaining("unexpected content after the pings");
  }

  @Test
  void attributesPastTheReadCeilingAreTooLargeAndTheirNeighboursStillDecode() {
    StringBuilder huge = new StringBuilder("{\"recordedAt\":\"2026-11-26T08:00:00Z\",");
    huge.append("\"attributes\":{");
    for (int i = 0; i < 150_000; i++) {
      huge.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":[1,{\"x\":2}]");
    }
    huge.append("},\"latitude\":1,\"longitude\":2}");

    List<DecodedPing> items = decode("[" + GOOD + "," + huge + "," + GOOD + "]", 10);

    assertThat(items.get(1).candidate()).isNull();
    assertThat(items.get(1).malformed().reason()).isEqualTo("attributes_too_large");
    assertThat(original(items.get(1))).isEqualTo(huge.toString());
    assertThat(items.get(0).candidate()).isNotNull();
    assertThat(items.get(2).candidate()).isNotNull();
  }

  @Test
  void aNumberBeyondADoubleInTheAttributesIsMalformed() {
    DecodedPing item =
        decode(
                "{\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":1,\"longitude\":2,"
                    + "\"attributes\":{\"x\":[1e400]}}",
                10)
            .get(0);

    assertThat(item.malformed().reason()).isEqualTo("malformed");
    assertThat(item.malformed().detail()).contains("attributes");
  }

  @Test
  void anUnreadableTimeIsQuotedShortAndPrintable() {
    // JSON escapes of NUL, then a long tail.
    String time = "\\u0000".repeat(10) + "x".repeat(100_000);
    DecodedPing item =
        decode("{\"recordedAt\":\"" + time + "\",\"latitude\":1,\"longitude\":2}", 10).get(0);

    assertThat(item.malformed().detail())
        .startsWith("recordedAt must be ISO-8601")
        .hasSizeLessThan(200)
        .doesNotContain("\u0000");
  }

  @Test
  void bodyErrorsNameNeitherTheParserNorItsSettings() {
    String deep = "[".repeat(5000) + "]".repeat(5000);

    assertThatThrownBy(() -> decode(deep, 10))
        .isInstanceOf(PingJson.MalformedBodyException.class)
        .hasMessageNotContaining("StreamReadConstraints")
        .hasMessageNotContaining("jackson")
        .hasMessageContaining("nests too deeply");
    assertThatThrownBy(() -> decode("{\"recordedAt\":tru", 10))
        .hasMessageStartingWith("The body is not valid JSON (at byte ")
        .hasMessageNotContaining("tru");
  }

  @Test
  void tooManyPingsAreRefusedWithTheirCount() {
    String body = "[" + String.join(",", List.of(GOOD, GOOD, "[1]", GOOD)) + "]";

    assertThatThrownBy(() -> decode(body, 2))
        .isInstanceOfSatisfying(
            PingJson.MalformedBodyException.class, e -> assertThat(e.tooLarge()).isTrue())
        .hasMessage("At most 2 pings per request, got 4.");
  }
}
