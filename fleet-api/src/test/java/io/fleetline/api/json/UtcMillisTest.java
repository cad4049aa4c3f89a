package io.fleetline.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtcMillisTest {

  static final DateTimeFormatter CONTRACT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void writesWhatTheContractsPatternWritesTruncatedToMilliseconds() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-62_000_000_000L, 400_000_000_000L), random.nextInt(1_000_000_000));
      assertThat(UtcMillis.format(instant)).isEqualTo(CONTRACT.format(instant));
    }
    assertThat(UtcMillis.format(Instant.parse("2026-11-20T00:00:00.999999Z")))
        .isEqualTo("2026-11-20T00:00:00.999Z");
    assertThat(UtcMillis.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
  }
}
