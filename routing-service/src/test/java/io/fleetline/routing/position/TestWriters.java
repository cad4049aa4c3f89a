package io.fleetline.routing.position;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import javax.sql.DataSource;

/** Builds the batch writer outside Spring, for tests of other packages. */
public final class TestWriters {

  private TestWriters() {}

  public static PositionWriter writer(
      DataSource dataSource, List<HistoryFollower> followers, BatchFault fault) {
    return new PositionWriter(
        dataSource, new PartitionManager(), followers, fault, new SimpleMeterRegistry());
  }
}
