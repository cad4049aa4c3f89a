package io.fleetline.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoTimeTest {

  private final Random random = new Random(42);

  @Test
  void formatsExactlyLikeInstantToStringAcrossTheFourDigitYearsAndBeyond() {
    for (int i = 0; i < 200_000; i++) {
      long second = random.nextLong(-62_200_000_000L, 253_500_000_000L);
      int nanos =
          switch (i % 3) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(second, nanos);

      assertThat(IsoTime.format(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }

  @Test
  void formatsMillisecondsAsTheApiPatternWritesThemTruncated() {
    DateTimeFormatter api =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    for (int i = 0; i < 100_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-63_000_000_000L, 400_000_000_000L), random.nextInt(1_000_000_000));

      assertThat(IsoTime.formatMillis(instant)).as("%s", instant).isEqualTo(api.format(instant));
    }
    assertThat(IsoTime.formatMillis(Instant.parse("2026-11-20T00:00:00.999999Z")))
        .isEqualTo("2026-11-20T00:00:00.999Z");
    assertThat(IsoTime.formatMillis(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
  }

  @Test
  void formatsMillisecondsIntoABufferAtAnOffsetOrNotAtAllOutsideFourDigitYears() {
    byte[] out = new byte[3 + IsoTime.MAX_FORMATTED_BYTES];
    Arrays.fill(out, (byte) '#');

    int end = IsoTime.formatMillisTo(Instant.parse("2026-11-20T08:15:00.12Z"), out, 3);

    assertThat(new String(out, 0, end, StandardCharsets.US_ASCII))
        .isEqualTo("###2026-11-20T08:15:00.120Z");
    assertThat(IsoTime.formatMillisTo(Instant.parse("+10000-01-01T00:00:00Z"), out, 0))
        .isEqualTo(-1);
    assertThat(IsoTime.formatMillisTo(Instant.parse("-0001-12-31T23:59:59Z"), out, 0))
        .isEqualTo(-1);
  }

  @Test
  void formatsTheEdgesOfDaysMonthsAndLeapYears() {
    for (String text :
        new String[] {
          "1970-01-01T00:00:00Z",
          "1969-12-31T23:59:59.999Z",
          "2000-02-29T12:00:00Z",
          "2100-02-28T23:59:59Z",
          "2024-12-31T23:59:59.001Z",
          "0000-01-01T00:00:00Z",
          "9999-12-31T23:59:59.999Z"
        }) {
      assertThat(IsoTime.format(Instant.parse(text))).isEqualTo(text);
    }
  }

  @Test
  void parsesLikeOffsetDateTimeForRandomTimesFractionsAndOffsets() {
    for (int i = 0; i < 100_000; i++) {
      long second = random.nextLong(-62_000_000_000L, 253_000_000_000L);
      int fractionDigits = random.nextInt(10);
      int nanos = random.nextInt(1_000_000_000);
      ZoneOffset offset =
          i % 4 == 0 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(random.nextInt(-64, 65) * 900);
      String text =
          OffsetDateTime.ofInstant(Instant.ofEpochSecond(second, nanos), offset)
              .format(
                  java.time.format.DateTimeFormatter.ofPattern(
                      "uuuu-MM-dd'T'HH:mm:ss"
                          + (fractionDigits == 0 ? "" : "." + "S".repeat(fractionDigits))
                          + "XXX"));

      assertThat(IsoTime.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-26T08:00:00Z",
        "2026-11-26t08:00:00z",
        "2026-11-26T08:00:00.5+01:00",
        "2026-11-26T08:00:00.Z",
        "2026-11-26T08:00:00.123456789-05:30",
        "2026-11-26T08:00+01:00",
        "2026-11-26T08:00:00+18:00",
        "2026-11-26T08:00:00+01:00:30",
        "+12026-11-26T08:00:00Z",
        "2024-02-29T00:00:00Z"
      })
  void acceptsWhatOffsetDateTimeAcceptsWithTheSameValue(String text) {
    assertThat(IsoTime.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-11-26",
        "2026-11-26T08:00:00",
        "2026-13-01T08:00:00Z",
        "2026-02-29T08:00:00Z",
        "2026-04-31T08:00:00Z",
        "2026-11-26T24:00:00Z",
        "2026-11-26T08:60:00Z",
        "2026-11-26T08:00:60Z",
        "2026-11-26T08:00:00.1234567890Z",
        "2026-11-26T08:00:00+19:00",
        "2026-11-26T08:00:00+01:60",
        "2026-11-26T08:00:00 Z",
        "2026-11-26X08:00:00Z",
        "2026-1a-26T08:00:00Z",
        "2026-11-26T08:00:00Zjunk"
      })
  void refusesWhatOffsetDateTimeRefuses(String text) {
    assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> IsoTime.parse(text)).isInstanceOf(DateTimeParseException.class);
  }
}
