package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonPingFormatTest {

  @Test
  void fixedWritesExactlyTheDecimalsAskedForAndRoundsAsFormatDoes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      double value = random.nextDouble(-400, 400);
      int decimals = random.nextInt(0, 8);
      String written = JsonPingFormat.fixed(value, decimals);
      String formatted = String.format(Locale.ROOT, "%." + decimals + "f", value);

      assertThat(written)
          .matches(decimals == 0 ? "-?[0-9]+" : "-?[0-9]+\\.[0-9]{" + decimals + "}");
      // Both round to the nearest; they may differ only on a tie in the last digit.
      assertThat(Double.parseDouble(written))
          .isCloseTo(Double.parseDouble(formatted), within(1.0001 * Math.pow(10, -decimals)));
      assertThat(Double.parseDouble(written))
          .isCloseTo(value, within(0.5001 * Math.pow(10, -decimals)));
    }
  }

  @Test
  void fixedHandlesSignsZeroAndValuesBeyondItsFastPath() {
    assertThat(JsonPingFormat.fixed(-13.4049999, 3)).isEqualTo("-13.405");
    assertThat(JsonPingFormat.fixed(-0.00001, 2)).isEqualTo("0.00");
    assertThat(JsonPingFormat.fixed(52.5, 0)).isEqualTo("53");
    assertThat(JsonPingFormat.fixed(0.05, 1)).isEqualTo("0.1");
    assertThat(JsonPingFormat.fixed(1e20, 1)).isEqualTo("100000000000000000000.0");
    assertThat(JsonPingFormat.round(13.40500001, 2)).isEqualTo(13.41);
  }
}
