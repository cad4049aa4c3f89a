package io.fleetline.routing.position;

import io.fleetline.common.VehicleEvent;
import io.fleetline.routing.trip.Sample;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
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
   * stored for the first time, to be published once the transaction has committed, and what to do
   * once it has.
   */
  Followed follow(Connection connection, Map<UUID, NewHistory> newHistory) throws SQLException;

  /**
   * The batches of these Kafka partitions ({@code topic-partition}) may now be written by another
   * consumer (revoked, lost) or come from one that did (assigned): whatever is remembered about
   * their vehicles may be out of date.
   */
  default void forget(Collection<String> partitions) {}

  /**
   * What a batch added to one vehicle's history.
   *
   * @param fleetId the vehicle's fleet
   * @param earliest the earliest new recorded time
   * @param previousLatest the newest recorded time stored before the batch (null for a vehicle
   *     without history)
   * @param added the new history rows as stored, in time order
   * @param owner the Kafka partition whose consumer alone writes this vehicle's history while it
   *     owns it (null when the batch came from elsewhere)
   * @param withDiagnostics whether any new row may carry diagnostics (false only when none does)
   */
  record NewHistory(
      UUID fleetId,
      Instant earliest,
      Instant previousLatest,
      List<Sample> added,
      String owner,
      boolean withDiagnostics) {}

  /** What {@link #follow} did: events stored for the first time, and what to do after commit. */
  record Followed(List<VehicleEvent> newEvents, Runnable afterCommit) {}
}
