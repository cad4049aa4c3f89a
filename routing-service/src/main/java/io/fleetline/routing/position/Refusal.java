package io.fleetline.routing.position;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The database refusing a batch for what a ping holds (its content), as opposed to failing for a
 * reason that passes (connection, lock, serialization, resources, a crash): only a refusal makes a
 * batch worth splitting to find the ping responsible; every other failure retries the whole batch.
 * Only the history write ({@link HistoryWriteFailure}) can refuse a ping: the same errors raised
 * while deriving from it, and a partition missing for its day, retry the whole batch too.
 *
 * @param sqlState the SQLSTATE of the refusal
 * @param message the server's primary message, on one line and at most {@link #MAX_MESSAGE_CHARS}
 *     long: never the detail or context, which may quote the refused value
 */
record Refusal(String sqlState, String message) {

  static final int MAX_MESSAGE_CHARS = 200;

  private static final String CHECK_VIOLATION = "23514";

  /** The refusal behind {@code failure}; null when the batch is to be retried as it is. */
  static Refusal of(Throwable failure) {
    if (!inHistoryWrite(failure) || isMissingPartition(failure)) {
      return null;
    }
    SQLException sql = firstWithState(failure);
    if (sql == null || !isContent(sql.getSQLState())) {
      return null;
    }
    return new Refusal(sql.getSQLState(), bounded(primaryMessage(sql)));
  }

  /**
   * Whether a SQLSTATE says the data itself is refused: data exceptions (class 22: untranslatable
   * or invalid characters, numbers or times out of range, malformed JSON) and the integrity
   * violations a value alone causes (a NULL or a check). A duplicate key is not one: the history
   * write absorbs redelivered pings, and elsewhere it means another writer got there first. Any
   * other class (connection, rollback, resources, operator, locks, internal) passes with time.
   */
  static boolean isContent(String sqlState) {
    if (sqlState == null || sqlState.length() != 5) {
      return false;
    }
    return sqlState.startsWith("22")
        || sqlState.equals("23502") // not_null_violation
        || sqlState.equals(CHECK_VIOLATION);
  }

  /**
   * Whether {@code failure} is PostgreSQL finding no partition for a row: a check violation of no
   * constraint (told apart without reading its message, which may be translated). The ping is not
   * at fault: its day's partition is missing.
   */
  static boolean isMissingPartition(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PSQLException psql && CHECK_VIOLATION.equals(psql.getSQLState())) {
        ServerErrorMessage server = psql.getServerErrorMessage();
        return server != null && server.getConstraint() == null;
      }
    }
    return false;
  }

  private static boolean inHistoryWrite(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HistoryWriteFailure) {
        return true;
      }
    }
    return false;
  }

  /** The message text trimmed to one bounded line, safe for a log line or a header. */
  static String bounded(String message) {
    if (message == null) {
      return "";
    }
    int length = Math.min(message.length(), MAX_MESSAGE_CHARS);
    StringBuilder line = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      char c = message.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(message.charAt(i + 1))) {
        line.append(c).append(message.charAt(++i));
      } else {
        line.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
      }
    }
    return line.toString();
  }

  private static SQLException firstWithState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // The writer's marker repeats its cause's state: the cause holds the server's message.
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && !(t instanceof HistoryWriteFailure)) {
        return sql;
      }
    }
    return null;
  }

  private static String primaryMessage(SQLException sql) {
    if (sql instanceof PSQLException psql) {
      ServerErrorMessage server = psql.getServerErrorMessage();
      if (server != null && server.getMessage() != null) {
        return server.getMessage();
      }
    }
    String message = sql.getMessage();
    if (message == null) {
      return null;
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
