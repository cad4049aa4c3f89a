package io.fleetline.routing.derived;

import io.fleetline.routing.position.HistoryFollower.NewHistory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where the windows of a batch's vehicles come from ({@link KeptWindows}, {@link DatabaseWindows}):
 * either gives the same window for the same history, so detection over it gives the same trips,
 * stops and events.
 */
interface WindowSource {

  /**
   * Hands {@code into} the windows of those of the vehicles this source can give, each with the
   * batch's new history in it, a group at a time, inside the batch's transaction.
   *
   * @return the vehicles left to the next source
   */
  Map<UUID, NewHistory> windows(
      Connection connection, Map<UUID, NewHistory> newHistory, Groups into) throws SQLException;

  /** Where a source hands its windows: detected and written a group at a time. */
  @FunctionalInterface
  interface Groups {
    void accept(List<VehicleWindow> group) throws SQLException;
  }
}
