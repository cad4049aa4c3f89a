package io.fleetline.routing.position;

import java.sql.SQLException;

/**
 * A failure of the history write: making the partitions of the batch's days, or the {@code COPY} or
 * {@code INSERT} of its rows into {@code positions} or its staging table. Only there can the
 * database refuse a ping for what it holds ({@link Refusal}); a data error raised while deriving
 * (latest positions, trips, stops, events) is a fault of that code or its state, and the batch is
 * retried. Carries the SQLSTATE of its cause.
 */
final class HistoryWriteFailure extends SQLException {

  HistoryWriteFailure(SQLException cause) {
    super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
  }

  /**
   * Whether the database found no partition of {@code positions} for a row: one this instance
   * believed made was dropped or detached by another (maintenance past retention, an operator).
   */
  boolean missingPartition() {
    return Refusal.isMissingPartition(this);
  }
}
