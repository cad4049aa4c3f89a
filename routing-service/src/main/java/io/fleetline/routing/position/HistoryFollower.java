package io.fleetline.routing.position;

import io.fleetline.common.VehicleEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Work that commits atomically with a batch's history: tables derived from it. Runs inside the
 * batch transaction, after the new history rows are in.
 */
public interface HistoryFollower {

  /**
   * Brings derived data up to date for the vehicles that got new history; returns the events it
   * stored for the first time, to be published once the transaction has committed.
   */
  List<VehicleEvent> follow(Connection connection, Map<UUID, NewHistory> newHistory)
      throws SQLException;

  /**
   * What a batch added to one vehicle's history: its fleet, the earliest new recorded time, and the
   * newest recorded time stored before the batch (null for a vehicle without history).
   */
  record NewHistory(UUID fleetId, java.time.Instant earliest, java.time.Instant previousLatest) {}
}
