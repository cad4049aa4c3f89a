package io.fleetline.routing.position;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Makes sure the daily {@code positions} partitions a batch needs exist, including old days that
 * late pings fall into. Known partitions are remembered, so the database is asked once per day.
 */
@Component
class PartitionManager {

  private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

  /** Forgets a dropped partition, so that it is checked again if a ping needs it. */
  void forget(LocalDate day) {
    known.remove(day);
  }

  /** Forgets these days, so that each is checked (and made if missing) when next needed. */
  void forget(Collection<LocalDate> days) {
    known.removeAll(days);
  }

  /** Creates missing partitions for these UTC days, each in its own short transaction. */
  void ensure(Connection connection, Collection<LocalDate> days) throws SQLException {
    for (LocalDate day : days) {
      if (known.contains(day)) {
        continue;
      }
      try (PreparedStatement statement =
          connection.prepareStatement("SELECT fleetline_ensure_positions_partition(?)")) {
        statement.setObject(1, day);
        statement.execute();
      }
      known.add(day);
    }
  }
}
