package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevicesTallyTest {

  @Test
  void onlyWhatHappensWhileTheWindowIsOpenCounts() {
    DevicesTally tally = new DevicesTally();
    tally.sent();
    tally.acknowledged(Protocol.OSMAND, 50_000_000);
    tally.failed("http_503");
    tally.late();

    tally.openWindow();
    for (int i = 1; i <= 100; i++) {
      tally.sent();
      tally.acknowledged(i % 2 == 0 ? Protocol.OSMAND : Protocol.MQTT, i * 1_000_000L);
    }
    tally.sent();
    tally.failed("ack_timeout");
    tally.late();
    tally.late();
    tally.closeWindow();
    tally.acknowledged(Protocol.OSMAND, 1_000_000);

    Map<String, Object> summary = new LinkedHashMap<>();
    tally.addTo(summary, 10_000, 20_000, 2_000_000_000L);

    assertThat(summary)
        .containsEntry("windowStart", 10_000L)
        .containsEntry("windowEnd", 20_000L)
        .containsEntry("windowS", 10.0)
        .containsEntry("sent", 101L)
        .containsEntry("acknowledged", 100L)
        .containsEntry("failed", Map.of("ack_timeout", 1L))
        .containsEntry("lateTicks", 2L)
        .containsEntry("acknowledgedPerSecond", 10.0)
        .containsEntry("acknowledgedByProtocol", Map.of("mqtt", 50L, "osmand", 50L))
        .containsEntry("ackLatencyMaxMs", 100.0)
        .containsEntry("generatorCpuSeconds", 2.0)
        // 2 s of CPU over 100 acknowledged pings
        .containsEntry("generatorCpuMicrosPerAck", 20_000.0);
    assertThat((double) summary.get("ackLatencyP50Ms"))
        .isCloseTo(50, org.assertj.core.data.Percentage.withPercentage(2));
    assertThat((double) summary.get("ackLatencyP99Ms"))
        .isCloseTo(99, org.assertj.core.data.Percentage.withPercentage(2));
  }

  @Test
  void ratesOfAnEmptyOrZeroLengthWindowAreZero() {
    assertThat(DevicesTally.perSecond(5, 1_000, 1_000)).isZero();
    assertThat(DevicesTally.microsPer(1_000_000, 0)).isZero();
    assertThat(DevicesTally.perSecond(1, 0, 3_000)).isEqualTo(0.3);
    assertThat(DevicesTally.microsPer(1_234_567, 1_000)).isEqualTo(1.2);
  }

  @Test
  void latencyPercentilesAreWithinOneSixtyFourthOfTheTrueValue() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (long micros = 1; micros <= 100_000; micros++) {
      histogram.record(micros);
    }
    assertThat(histogram.count()).isEqualTo(100_000);
    assertThat(histogram.maxMicros()).isEqualTo(100_000);
    for (double p : new double[] {0.5, 0.95, 0.99}) {
      long exact = Math.round(p * 100_000);
      assertThat(histogram.percentileMicros(p))
          .as("p%s", p)
          .isBetween(exact - exact / 64, exact + exact / 64);
    }
    assertThat(histogram.percentileMicros(1.0)).isEqualTo(100_000);
    assertThat(new LatencyHistogram().percentileMicros(0.5)).isZero();
  }

  @Test
  void latencyBucketsAreContiguousAndOrdered() {
    int previous = -1;
    for (long micros = 0; micros < 1 << 20; micros++) {
      int bucket = LatencyHistogram.bucket(micros);
      assertThat(bucket).isBetween(previous, previous + 1);
      previous = bucket;
    }
    assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isLessThan(63 * 64);
  }
}
