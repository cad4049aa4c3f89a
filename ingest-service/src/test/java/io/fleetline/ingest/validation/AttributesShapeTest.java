package io.fleetline.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.common.FleetlineJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributesShapeTest {

  @Test
  void digitsAreCountedAsTheTextWouldHaveThem() {
    for (long value :
        new long[] {0, 9, 10, -1, -9, -10, 99, 100, 123_456, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertThat(AttributesShape.digits(value))
          .as("%d", value)
          .isEqualTo(Long.toString(value).length());
    }
  }

  @Test
  void doublesJustWithinTheLimitAreMeasuredExactlyRatherThanByTheirBound() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      attributes.put("io" + i, 1.5);
      attributes.put("n" + i, i * 1_000L);
    }
    int exact = FleetlineJson.write(attributes).length;

    assertThat(AttributesShape.of(attributes, exact, 8).tooLarge()).isFalse();
    assertThat(AttributesShape.of(attributes, exact - 1, 8).tooLarge()).isTrue();
  }
}
