package io.fleetline.routing.derived;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much of the vehicles' history derived-data detection may hold in memory ({@code
 * fleetline.routing.derived.*}); see {@link DerivedDataUpdater}.
 *
 * @param maxWindowSamples a vehicle's window longer than this is not kept between batches
 * @param maxKeptSamples samples kept in all vehicles' windows together; unset: a tenth of the
 *     maximum heap at {@value #BYTES_PER_SAMPLE} bytes a sample (about 400,000 in a 384 MiB heap)
 * @param readChunkSamples windows read from the database are detected and written in groups of
 *     vehicles of about this many samples, so a batch of many vehicles with long windows (a backlog
 *     after a restart) never holds all their history at once; a single window is read whole
 */
@ConfigurationProperties("fleetline.routing.derived")
record DerivedSettings(
    @DefaultValue("20000") int maxWindowSamples,
    Long maxKeptSamples,
    @DefaultValue("100000") int readChunkSamples) {

  /**
   * What a sample of a kept window costs on a 64-bit heap with compressed references: the {@code
   * Sample} (40 B), its {@code Instant} (24 B), its speed as a {@code Double} (16 B) and its
   * reference in the window (4 B), 92 B measured for a million samples read as the database gives
   * them; rounded up for the references trip paths hold to the same samples.
   */
  static final int BYTES_PER_SAMPLE = 100;

  /** The budget of kept samples: {@link #maxKeptSamples} or its share of {@code maxHeapBytes}. */
  long keptSamplesBudget(long maxHeapBytes) {
    return maxKeptSamples != null ? maxKeptSamples : maxHeapBytes / 10 / BYTES_PER_SAMPLE;
  }

  /** The defaults, for code and tests that run without Spring. */
  static DerivedSettings defaults() {
    return new DerivedSettings(20_000, null, 100_000);
  }
}
