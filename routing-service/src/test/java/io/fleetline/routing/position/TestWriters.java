package io.fleetline.routing.position;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import javax.sql.DataSource;

/** Builds the batch writer outside Spring, for tests of other packages. */
public final class TestWriters {

  private TestWriters() {}

  public static PositionWriter writer(
      DataSource dataSource, List<HistoryFollower> followers, BatchFault fault) {
    return writer(dataSource, followers, fault, new PartitionFence(dataSource));
  }

  public static PositionWriter writer(
      DataSource dataSource,
      List<HistoryFollower> followers,
      BatchFault fault,
      PartitionFence fence) {
    return new PositionWriter(
        dataSource, new PartitionManager(), followers, fault, fence, new SimpleMeterRegistry());
  }

  /** Gives the partition to the writer of {@code fence}, fencing whichever writer had it. */
  public static void claim(PartitionFence fence, String partition) {
    fence.assigned(List.of(partition), "test");
  }
}
